package dev.llmmesh.agents;

import java.util.Objects;

/**
 * What one agent answered to one input, after its tool-calling loop.
 *
 * @param agentId    the agent
 * @param text       the final answer; when the agent hit its step limit, the last text it wrote (maybe empty)
 * @param answered   whether the agent gave a final answer (false when it ran out of tool rounds)
 * @param modelCalls how many model calls the loop made
 * @param toolCalls  how many tool calls it asked for (executed or denied)
 * @param toolErrors how many of those failed or were denied
 */
public record AgentReply(String agentId, String text, boolean answered, int modelCalls, int toolCalls,
                         int toolErrors) {
    public AgentReply {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(text, "text");
    }
}
