package dev.llmmesh;

/**
 * How sensitive the data in a call is, in increasing order. A model declares the highest class it may receive
 * ({@link dev.llmmesh.client.ModelDescriptor#maxDataClass()}); the router never sends a call of a higher class to it.
 */
public enum DataClass {
    PUBLIC,
    INTERNAL,
    CONFIDENTIAL,
    RESTRICTED;

    /** Whether data of class {@code other} may go where this class is the ceiling. */
    public boolean admits(DataClass other) {
        return other.ordinal() <= ordinal();
    }
}
