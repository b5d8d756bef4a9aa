package dev.llmmesh.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.CallContext;
import dev.llmmesh.FakeClient;
import dev.llmmesh.Mesh;
import dev.llmmesh.Verdict;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ToolCallGuardTest {

    @Test
    void guardsDecideToolCallsAndListenersHearEveryCheck() {
        List<String> heard = new CopyOnWriteArrayList<>();
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 1))
                .addToolCallGuard(new ToolCallGuard() {
                    @Override
                    public Optional<String> reject(String tool, String args, CallContext ctx) {
                        return tool.equals("sql") && !ctx.team().orElse("").equals("billing")
                                ? Optional.of("only billing may query orders") : Optional.empty();
                    }

                    @Override
                    public String policyId() {
                        return "org/tools.sql";
                    }
                })
                .addListener(new MeshListener() {
                    @Override
                    public void toolCallChecked(MeshEvent.ToolCallChecked e) {
                        heard.add(e.toolName() + ":" + e.denial().map(Verdict::policyId).orElse("allowed"));
                    }
                })
                .build();

        Optional<Verdict> denied = mesh.checkToolCall("sql", "{\"q\":\"select 1\"}", CallContext.forTeam("support"));
        Optional<Verdict> allowed = mesh.checkToolCall("sql", "{}", CallContext.forTeam("billing"));

        assertThat(denied).contains(new Verdict("org/tools.sql", Verdict.Decision.DENY, "tool sql: only billing may query orders"));
        assertThat(allowed).isEmpty();
        assertThat(heard).containsExactly("sql:org/tools.sql", "sql:allowed");
    }

    @Test
    void aGuardThatThrowsDeniesTheCall() {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 1))
                .addToolCallGuard((tool, args, ctx) -> {
                    throw new IllegalStateException("broken rule");
                })
                .build();

        assertThat(mesh.checkToolCall("http", "{}", CallContext.EMPTY).orElseThrow().detail())
                .contains("denied by default");
    }
}
