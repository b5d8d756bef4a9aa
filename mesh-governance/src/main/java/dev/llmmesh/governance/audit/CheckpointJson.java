package dev.llmmesh.governance.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The one-line JSON form of an anchored {@link AuditAnchor.Checkpoint}, shared by the anchor implementations. */
final class CheckpointJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CheckpointJson() {
    }

    /** {@code {"seq":..,"hash":..,"at":..,"mac":..}}, without a line break. */
    static String encode(AuditAnchor.Checkpoint c) throws IOException {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("seq", c.seq()).put("hash", c.hash()).put("at", c.at()).put("mac", c.mac());
        return MAPPER.writeValueAsString(n);
    }

    /**
     * The checkpoint in {@code text}.
     *
     * @param damaged the message when {@code text} is not a checkpoint, naming where it was read
     * @throws IOException with {@code damaged} when it is not
     */
    static AuditAnchor.Checkpoint decode(String text, String damaged) throws IOException {
        JsonNode n;
        try {
            n = MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IOException(damaged);
        }
        if (n == null || !n.path("seq").isIntegralNumber() || n.path("seq").asLong() < 1
                || !n.path("hash").isTextual() || !n.path("at").isTextual() || !n.path("mac").isTextual()) {
            throw new IOException(damaged);
        }
        return new AuditAnchor.Checkpoint(n.get("seq").asLong(), n.get("hash").asText(), n.get("at").asText(),
                n.get("mac").asText());
    }
}
