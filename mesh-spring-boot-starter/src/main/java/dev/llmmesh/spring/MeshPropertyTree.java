package dev.llmmesh.spring;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Turns the {@code llmmesh.*} properties that are {@code mesh.yaml} keys into the tree {@code mesh.yaml} would parse
 * to, so {@link dev.llmmesh.config.MeshConfig} reads both the same way. Names keep their case ({@code contextWindow},
 * as in {@code mesh.yaml}); {@code [i]} is a list index, any other {@code [key]} a mapping key. Of several property
 * sources, the one of highest precedence wins per key. Strings that read as integers, decimals or booleans become
 * numbers and booleans (as in YAML), an empty value counts as absent, and {@code ${VAR}} is left for the mesh's own
 * substitution.
 */
final class MeshPropertyTree {
    static final String PREFIX = "llmmesh.";
    /** The starter's own keys ({@link MeshProperties}); not part of the mesh document. */
    static final Set<String> STARTER_KEYS = Set.of("enabled", "config-location", "configLocation", "endpoint",
            "health");
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)\\.[0-9]+");

    private MeshPropertyTree() {
    }

    /** The mesh document under {@code llmmesh.}; empty when no mesh key is set. */
    static Map<String, Object> read(ConfigurableEnvironment environment) {
        Map<String, Object> flat = new LinkedHashMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                if (!name.startsWith(PREFIX) || flat.containsKey(name)) {
                    continue;
                }
                String rest = name.substring(PREFIX.length());
                if (STARTER_KEYS.contains(firstSegment(rest))) {
                    continue;
                }
                Object value = enumerable.getProperty(name);
                if (value instanceof OriginTrackedValue tracked) {
                    value = tracked.getValue();
                }
                flat.put(name, value);
            }
        }
        Map<String, Object> root = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            put(root, segments(e.getKey().substring(PREFIX.length())), e.getKey(), scalar(e.getValue()));
        }
        return finish(root);
    }

    private static String firstSegment(String rest) {
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '.' || c == '[') {
                end = i;
                break;
            }
        }
        return rest.substring(0, end);
    }

    /** {@code models[0].pricing.input} as {@code models, [0], pricing, input}; a bracketed index stays bracketed. */
    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '.') {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else if (c == '[') {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
                int close = path.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException(PREFIX + path + ": unclosed '['");
                }
                String inside = path.substring(i + 1, close);
                out.add(INTEGER.matcher(inside).matches() ? "[" + inside + "]" : inside);
                i = close;
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, List<String> path, String property, @Nullable Object value) {
        Map<String, Object> node = root;
        for (int i = 0; i < path.size(); i++) {
            String key = path.get(i);
            boolean last = i == path.size() - 1;
            if (last) {
                Object existing = node.get(key);
                if (existing instanceof Map<?, ?>) {
                    throw new IllegalArgumentException(property + " is set both as a value and as a mapping with keys "
                            + ((Map<String, Object>) existing).keySet() + "; keep one of them");
                }
                node.put(key, value);
                return;
            }
            Object child = node.get(key);
            if (child == null) {
                child = new LinkedHashMap<String, Object>();
                node.put(key, child);
            } else if (!(child instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(property + ": a parent key is also set to a value; keep one of them");
            }
            node = (Map<String, Object>) child;
        }
    }

    /** Maps whose keys are all {@code [i]} become lists in index order; gaps are an error naming the path. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> finish(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            out.put(e.getKey(), finishValue(e.getValue(), PREFIX + e.getKey()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Object finishValue(@Nullable Object value, String path) {
        if (!(value instanceof Map<?, ?> raw)) {
            return value;
        }
        Map<String, Object> map = (Map<String, Object>) raw;
        boolean indexed = !map.isEmpty() && map.keySet().stream().allMatch(k -> k.startsWith("[") && k.endsWith("]"));
        if (!indexed) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : map.entrySet()) {
                out.put(e.getKey(), finishValue(e.getValue(), path + "." + e.getKey()));
            }
            return out;
        }
        TreeMap<Integer, Object> byIndex = new TreeMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String k = e.getKey();
            byIndex.put(Integer.parseInt(k.substring(1, k.length() - 1)), e.getValue());
        }
        List<Object> list = new ArrayList<>();
        int expected = 0;
        for (Map.Entry<Integer, Object> e : byIndex.entrySet()) {
            if (e.getKey() != expected) {
                throw new IllegalArgumentException(path + "[" + expected + "] is missing while " + path + "["
                        + e.getKey() + "] is set; number list entries from 0 without gaps");
            }
            list.add(finishValue(e.getValue(), path + "[" + expected + "]"));
            expected++;
        }
        return list;
    }

    /** A property value as YAML would read it. */
    static @Nullable Object scalar(@Nullable Object value) {
        if (!(value instanceof String s)) {
            return value;
        }
        String t = s.trim();
        if (t.isEmpty()) {
            return null;
        }
        if (t.equals("true") || t.equals("false")) {
            return Boolean.valueOf(t);
        }
        if (INTEGER.matcher(t).matches()) {
            return t.length() < 19 ? (Object) Long.parseLong(t) : new BigDecimal(t);
        }
        if (DECIMAL.matcher(t).matches()) {
            return new BigDecimal(t);
        }
        return s;
    }
}
