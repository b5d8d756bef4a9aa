package dev.llmmesh.config;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code ${NAME}} and {@code ${NAME:-default}} substitution in one scalar. {@code $${} writes a literal
 * {@code ${}. The substituted text is never expanded again (no recursion, no other lookups), and error messages name
 * the variable, never its value. Stateless.
 */
final class EnvExpander {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern ONLY_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private EnvExpander() {
    }

    /** Whether {@code raw} contains a {@code ${...}} expression. */
    static boolean hasExpression(String raw) {
        return raw.replace("$${", "").contains("${");
    }

    /** The variable name if {@code raw} is exactly {@code ${NAME}}. */
    static Optional<String> onlyReference(String raw) {
        var m = ONLY_REFERENCE.matcher(raw);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * Expands every expression in {@code raw}.
     *
     * @param path       the path named in errors
     * @param lineSuffix appended to error messages, e.g. {@code " (line 4)"}
     * @throws MeshConfigException for an unset variable without default, or a malformed expression
     */
    static String expand(String raw, Function<String, @Nullable String> env, String path, String lineSuffix) {
        if (!raw.contains("${")) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '$' && raw.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && raw.startsWith("${", i)) {
                int end = raw.indexOf('}', i + 2);
                if (end < 0) {
                    throw new MeshConfigException(path, "unterminated ${ in the value; write ${NAME} or "
                            + "${NAME:-default}, or $${ for a literal ${" + lineSuffix);
                }
                String body = raw.substring(i + 2, end);
                int sep = body.indexOf(":-");
                String name = sep < 0 ? body : body.substring(0, sep);
                if (!NAME.matcher(name).matches()) {
                    throw new MeshConfigException(path, "invalid environment variable reference ${" + body
                            + "}; write ${NAME} or ${NAME:-default} with NAME made of letters, digits and _"
                            + lineSuffix);
                }
                String value = env.apply(name);
                if (sep >= 0 && (value == null || value.isEmpty())) {
                    value = body.substring(sep + 2);
                }
                if (value == null) {
                    throw new MeshConfigException(path, "environment variable " + name + " is not set; export it, "
                            + "or give a default with ${" + name + ":-value}" + lineSuffix);
                }
                out.append(value);
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
