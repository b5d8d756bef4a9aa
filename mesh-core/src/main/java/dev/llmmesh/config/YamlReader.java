package dev.llmmesh.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Parses one YAML document into a Jackson tree, recording the line of every key and list element.
 *
 * <p>Deliberate differences from a plain {@code ObjectMapper.readTree}:
 * <ul>
 *   <li>booleans are only {@code true}/{@code false} (YAML 1.2): {@code yes}, {@code no}, {@code on}, {@code off}
 *       stay strings, so {@code region: no} means the text "no";</li>
 *   <li>floating-point numbers are kept exact as {@link BigDecimal} (prices);</li>
 *   <li>duplicate keys, aliases ({@code *name}), merge keys ({@code <<}), binary values and a second document are
 *       errors instead of being silently misread;</li>
 *   <li>syntax errors name the line and column but never quote the offending line (it may hold a key).</li>
 * </ul>
 * Stateless and thread-safe.
 */
final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final IdentityHashMap<JsonNode, Map<String, Integer>> keyLines = new IdentityHashMap<>();
    private final IdentityHashMap<JsonNode, List<Integer>> elementLines = new IdentityHashMap<>();

    private YamlReader() {
    }

    /** The parsed document: its root mapping (empty for an empty document) and where everything is. */
    record Parsed(ObjectNode root, ConfigSource source) {
    }

    /**
     * Parses {@code yaml}.
     *
     * @throws MeshConfigException for a syntax error (with line and column) or a root that is not a mapping
     */
    static Parsed parse(String yaml, Function<String, @Nullable String> env) {
        YamlReader reader = new YamlReader();
        ObjectNode root = reader.read(yaml);
        return new Parsed(root, new ConfigSource(env, reader.keyLines, reader.elementLines));
    }

    private ObjectNode read(String yaml) {
        try (YAMLParser p = FACTORY.createParser(yaml)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return NODES.objectNode();
            }
            int line = line(p);
            JsonNode root = value(p, first, "");
            if (!root.isObject()) {
                throw new MeshConfigException("", "expected a mapping of sections (models:, routing:, ...), got "
                        + (root.isArray() ? "a list" : root.isNull() ? "nothing" : "a single value")
                        + " (line " + line + ")");
            }
            JsonToken extra = p.nextToken();
            if (extra != null) {
                throw new MeshConfigException("", "found a second YAML document at line " + line(p)
                        + "; the file must hold exactly one document, so remove the extra '---'");
            }
            return (ObjectNode) root;
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new MeshConfigException("", "cannot read the YAML text: " + e.getClass().getSimpleName());
        }
    }

    private JsonNode value(YAMLParser p, JsonToken token, String path) throws IOException {
        if (p.isCurrentAlias()) {
            throw new MeshConfigException(path, "YAML aliases (*" + p.getText() + ") are not supported; write the value "
                    + "out in full (line " + line(p) + ")");
        }
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                Map<String, Integer> lines = new HashMap<>();
                keyLines.put(object, lines);
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                    if (t != JsonToken.FIELD_NAME) {
                        throw new MeshConfigException(path, "unexpected " + t + " (line " + line(p) + ")");
                    }
                    String key = p.currentName();
                    int keyLine = line(p);
                    String keyPath = ConfigNode.childPath(path, key);
                    if ("<<".equals(key)) {
                        throw new MeshConfigException(keyPath, "YAML merge keys (<<) are not supported; write the "
                                + "keys out in full (line " + keyLine + ")");
                    }
                    if (object.has(key)) {
                        throw new MeshConfigException(keyPath, "duplicate key (lines " + lines.get(key) + " and "
                                + keyLine + "); keep only one");
                    }
                    object.set(key, value(p, p.nextToken(), keyPath));
                    lines.put(key, keyLine);
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                List<Integer> lines = new ArrayList<>();
                elementLines.put(array, lines);
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    lines.add(line(p));
                    array.add(value(p, t, path + "[" + array.size() + "]"));
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDecimalValue());
            case VALUE_TRUE:
            case VALUE_FALSE: {
                String text = p.getText();
                String lower = text.toLowerCase(Locale.ROOT);
                if (lower.equals("true") || lower.equals("false")) {
                    return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
                }
                return NODES.textNode(text); // yes/no/on/off: text, as in YAML 1.2
            }
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new MeshConfigException(path, "unsupported YAML value (" + token + "); use a plain string, "
                        + "number, boolean, list or mapping (line " + line(p) + ")");
        }
    }

    private static int line(YAMLParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    /**
     * A syntax error naming line and column. SnakeYAML's own message quotes the offending source line, which may
     * contain a credential, so only its problem description is kept.
     */
    static MeshConfigException syntaxError(JsonProcessingException e) {
        org.yaml.snakeyaml.error.MarkedYAMLException marked = null;
        for (Throwable t = e; t != null && marked == null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException) {
                marked = (org.yaml.snakeyaml.error.MarkedYAMLException) t;
            }
        }
        int line;
        int column;
        String problem;
        if (marked != null && marked.getProblemMark() != null) {
            line = marked.getProblemMark().getLine() + 1;
            column = marked.getProblemMark().getColumn() + 1;
            problem = String.valueOf(marked.getProblem());
            if (marked.getContext() != null && marked.getContextMark() != null) {
                problem += " (" + marked.getContext() + " that starts at line " + (marked.getContextMark().getLine() + 1)
                        + ")";
            }
        } else {
            JsonLocation loc = e.getLocation();
            line = loc == null ? 0 : loc.getLineNr();
            column = loc == null ? 0 : loc.getColumnNr();
            problem = e.getOriginalMessage();
        }
        return new MeshConfigException("", "YAML syntax error at line " + line + ", column " + column + ": " + problem
                + "; " + hint(problem));
    }

    private static String hint(String problem) {
        if (problem.contains("(TAB)") || problem.contains("'\\t'")) {
            return "indent with spaces, not tabs";
        }
        if (problem.contains("mapping values are not allowed")) {
            return "quote values that contain ': ' and check the indentation";
        }
        return "check the indentation and quoting on that line";
    }
}
