package dev.llmmesh.agents.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.llmmesh.catalog.Ownership;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaToolsTest {

    public static final class Billing {
        @Tool("Refunds an amount on an order")
        public String refund(@P("the order id") int orderId, @P("amount in USD") double amount) {
            if (amount > 100) {
                throw new IllegalStateException("refunds above $100 need approval");
            }
            return "refunded " + amount + " on " + orderId;
        }

        @Tool("Looks up the currency")
        public String currency() {
            return "USD";
        }

        public String notATool() {
            return "x";
        }
    }

    @Test
    void exposesEveryToolMethodWithItsSchemaSortedByName() {
        List<AgentTool> tools = JavaTools.from(new Billing(), Ownership.of("support", "billing"));
        assertThat(tools).extracting(t -> t.descriptor().id()).containsExactly("currency", "refund");
        AgentTool refund = tools.get(1);
        assertThat(refund.descriptor().kind()).isEqualTo(ToolKind.JAVA);
        assertThat(refund.descriptor().owner()).isEqualTo(Ownership.of("support", "billing"));
        assertThat(refund.specification().description()).isEqualTo("Refunds an amount on an order");
        assertThat(refund.specification().parameters().required()).containsExactly("orderId", "amount");
    }

    @Test
    void bindsJsonArgumentsToParameters() {
        AgentTool refund = JavaTools.from(new Billing()).get(1);
        ToolResult r = refund.execute(new ToolCall("r", "a", "c", "refund", "{\"orderId\": 1002, \"amount\": 49.99}"));
        assertThat(r).isEqualTo(ToolResult.ok("refunded 49.99 on 1002"));
    }

    @Test
    void reportsExceptionsAndBadArgumentsAsErrors() {
        AgentTool refund = JavaTools.from(new Billing()).get(1);
        assertThat(refund.execute(new ToolCall("r", "a", "c", "refund", "{\"orderId\": 1, \"amount\": 500}")))
                .isEqualTo(ToolResult.error("refunds above $100 need approval"));
        ToolResult wrongType = refund.execute(new ToolCall("r", "a", "c", "refund", "{\"orderId\": \"x\", \"amount\": 1}"));
        assertThat(wrongType.error()).isTrue();
        assertThat(wrongType.text()).startsWith("invalid arguments for refund");
        ToolResult notJson = refund.execute(new ToolCall("r", "a", "c", "refund", "{oops"));
        assertThat(notJson.error()).isTrue();
        assertThat(notJson.text()).startsWith("invalid arguments for refund");
    }

    @Test
    void refusesObjectsWithoutToolMethods() {
        assertThatThrownBy(() -> JavaTools.from("just a string")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no public @Tool method");
    }

    @Test
    void toolboxRefusesDuplicateNames() {
        assertThatThrownBy(() -> Toolbox.builder().addJava(new Billing()).addJava(new Billing()).build())
                .hasMessageContaining("duplicate tool name \"currency\"");
    }
}
