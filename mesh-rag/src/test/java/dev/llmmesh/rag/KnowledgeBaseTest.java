package dev.llmmesh.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.catalog.Lifecycle;
import dev.llmmesh.catalog.LifecycleState;
import dev.llmmesh.catalog.Ownership;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KnowledgeBaseTest {
    private final KnowledgeBase kb = KnowledgeBase.builder("handbook", Ownership.of("payments", "core"))
            .allowTeams("support").filterKeys("lang", "product.line").build();

    @Test
    void theOwnerTeamAndTheListedTeamsMayReadOthersAndAnonymousCallersMayNot() {
        assertThat(kb.permits(Optional.of("core"))).isTrue();
        assertThat(kb.permits(Optional.of("support"))).isTrue();
        assertThat(kb.permits(Optional.of("marketing"))).isFalse();
        assertThat(kb.permits(Optional.empty())).isFalse();
    }

    @Test
    void openToEveryoneAdmitsCallersWithoutATeam() {
        KnowledgeBase open = KnowledgeBase.builder("glossary", Ownership.of("org", "platform")).openToEveryone().build();
        assertThat(open.permits(Optional.empty())).isTrue();
        assertThat(open.allowedTeams()).containsExactly(KnowledgeBase.EVERYONE);
    }

    @Test
    void onlyUsableLifecycleStatesMayBeRead() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(kb.withLifecycle(Lifecycle.proposed()).permits(Optional.of("core"))).isFalse();
        assertThat(kb.withLifecycle(Lifecycle.of(LifecycleState.DEPRECATED, "x", t)).permits(Optional.of("core")))
                .isTrue();
        assertThat(kb.withLifecycle(Lifecycle.of(LifecycleState.RETIRED, "x", t)).permits(Optional.of("core")))
                .isFalse();
    }

    @Test
    void scenario36_filterKeysAreAnAllowListOfWellFormedNames() {
        assertThat(kb.allowsFilterKey("lang")).isTrue();
        assertThat(kb.allowsFilterKey("owner")).isFalse();
        assertThat(KnowledgeBase.isWellFormedKey("')::text IS NOT NULL OR pg_sleep(1) IS NOT NULL --")).isFalse();
        assertThatThrownBy(() -> KnowledgeBase.builder("x", Ownership.UNOWNED).filterKeys("a b"))
                .hasMessageContaining("filter key \"a b\" is invalid");
        assertThatThrownBy(() -> new KnowledgeBase("x", "", Ownership.UNOWNED, Set.of(), Set.of("1abc"),
                Lifecycle.approvedByDefault())).hasMessageContaining("invalid");
    }

    @Test
    void idsAreValidated() {
        assertThatThrownBy(() -> KnowledgeBase.builder("has space", Ownership.UNOWNED).build())
                .hasMessageContaining("knowledge base id \"has space\" is invalid");
        assertThatThrownBy(() -> KnowledgeBase.builder("x", Ownership.UNOWNED).allowTeams(" "))
                .hasMessageContaining("blank");
    }
}
