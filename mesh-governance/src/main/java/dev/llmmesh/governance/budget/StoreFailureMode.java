package dev.llmmesh.governance.budget;

/**
 * What a budget does when the {@link dev.llmmesh.state.StateStore} cannot answer, so the spend is unknown.
 */
public enum StoreFailureMode {
    /** Refuse the call with a {@link dev.llmmesh.state.StateStoreUnavailableException} (the default). */
    FAIL_CLOSED,
    /** Admit the call without a reservation and flag it ({@code budgets/store-unavailable}) for the audit log. */
    ALLOW
}
