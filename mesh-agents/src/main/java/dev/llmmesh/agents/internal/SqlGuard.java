package dev.llmmesh.agents.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parser half of the SQL tool's read-only guarantee: accepts a single plain {@code SELECT} over allow-listed
 * tables and columns and rejects everything else, conservatively. The grammar accepted is a small subset: column
 * lists, {@code DISTINCT}, {@code FROM} lists and {@code JOIN … ON}, {@code WHERE}, {@code GROUP BY}, {@code HAVING},
 * {@code ORDER BY … ASC|DESC}, {@code LIMIT}/{@code OFFSET}, {@code UNION}, {@code CASE}, subqueries in expressions,
 * and an allow-list of functions. Rejected: comments, several statements, quoted identifiers, prefixed or dollar
 * strings, non-ASCII outside string literals, {@code *} (except in {@code COUNT(*)}), schema-qualified names,
 * subqueries in {@code FROM}, {@code WITH}, {@code INTO}, {@code FOR}, and every write, DDL or session keyword.
 * Immutable and thread-safe.
 */
public final class SqlGuard {
    /** Words that never appear in an accepted statement. */
    private static final Set<String> FORBIDDEN = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE",
            "DROP", "CREATE", "ALTER", "TRUNCATE", "RENAME", "COMMENT", "GRANT", "REVOKE", "CALL", "EXEC", "EXECUTE",
            "RUNSCRIPT", "SCRIPT", "BACKUP", "SHUTDOWN", "SET", "COMMIT", "ROLLBACK", "SAVEPOINT", "LOCK", "INTO", "FOR",
            "CHECKPOINT", "ANALYZE", "EXPLAIN", "LINK", "COPY", "LOAD", "HANDLER", "PRAGMA", "ATTACH", "DETACH",
            "DECLARE", "PREPARE", "DEALLOCATE", "WITH", "VALUES", "TABLE", "USE", "GO", "IMPORT", "EXPORT", "SHOW",
            "DESCRIBE", "HELP", "BEGIN", "START", "TRANSACTION", "UNLOCK", "OPTIMIZE", "VACUUM", "REINDEX", "CLUSTER",
            "NOTIFY", "LISTEN", "OUTFILE", "DUMPFILE", "INFILE");
    /** Reserved words accepted anywhere (H2 does not let them name a column without quotes). */
    private static final Set<String> KEYWORDS = Set.of("SELECT", "DISTINCT", "ALL", "FROM", "WHERE", "AND", "OR",
            "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE", "BETWEEN", "ORDER", "BY", "GROUP", "HAVING", "LIMIT", "OFFSET",
            "AS", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "ON", "CASE", "WHEN", "THEN", "ELSE",
            "END", "TRUE", "FALSE", "UNION", "EXISTS", "ANY", "SOME", "CURRENT_DATE", "CURRENT_TIMESTAMP");
    /** Keywords that may be followed by a parenthesis without being a function. */
    private static final Set<String> PAREN_KEYWORDS = Set.of("SELECT", "DISTINCT", "ALL", "WHERE", "AND", "OR", "NOT",
            "IN", "EXISTS", "ANY", "SOME", "ON", "BY", "HAVING", "WHEN", "THEN", "ELSE", "CASE", "UNION", "IS",
            "BETWEEN", "LIKE", "ILIKE", "AS", "LIMIT", "OFFSET");
    private static final Set<String> FUNCTIONS = Set.of("COUNT", "SUM", "AVG", "MIN", "MAX", "LOWER", "UPPER",
            "COALESCE", "NULLIF", "ROUND", "ABS", "LENGTH", "CHAR_LENGTH", "SUBSTRING", "TRIM", "CAST", "CONCAT",
            "YEAR", "MONTH", "DAY", "FLOOR", "CEIL");
    /** Type names, accepted only right after {@code AS} inside {@code CAST(..)}. */
    private static final Set<String> TYPES = Set.of("INT", "INTEGER", "BIGINT", "SMALLINT", "DECIMAL", "NUMERIC",
            "VARCHAR", "CHAR", "CHARACTER", "DATE", "TIMESTAMP", "BOOLEAN", "DOUBLE", "REAL", "FLOAT");
    /** Words that end a table reference (so they are not read as an alias). */
    private static final Set<String> NOT_ALIAS;

    static {
        Set<String> s = new HashSet<>(KEYWORDS);
        s.addAll(FORBIDDEN);
        s.addAll(Set.of("ASC", "DESC", "USING", "NATURAL", "FETCH", "WINDOW", "QUALIFY", "EXCEPT", "INTERSECT",
                "MINUS", "TOP"));
        NOT_ALIAS = Set.copyOf(s);
    }

    /** Deepest nesting of parentheses and {@code CASE} accepted. */
    public static final int MAX_NESTING = 32;
    private static final int MAX_UNARY_CHAIN = 8;

    private final Map<String, Set<String>> tables;
    private final int maxLength;

    /**
     * @param tables    allow-listed tables (upper case) and their allow-listed columns (upper case)
     * @param maxLength the longest statement accepted, in characters
     */
    public SqlGuard(Map<String, Set<String>> tables, int maxLength) {
        this.tables = Map.copyOf(tables);
        this.maxLength = maxLength;
    }

    /** Whether {@code word} can never be an allow-listed column name (a reserved or forbidden word). */
    public static boolean reserved(String word) {
        String w = word.toUpperCase(Locale.ROOT);
        return NOT_ALIAS.contains(w) || FUNCTIONS.contains(w) || TYPES.contains(w);
    }

    /**
     * Checks {@code sql} and returns it without a trailing {@code ;}.
     *
     * @throws IllegalArgumentException with the reason, when the statement is refused
     */
    public String check(String sql) {
        if (sql.isBlank()) {
            throw refuse("empty statement");
        }
        if (sql.length() > maxLength) {
            throw refuse("statement longer than " + maxLength + " characters");
        }
        List<Tok> toks = lex(sql);
        String text = sql;
        if (!toks.isEmpty() && toks.get(toks.size() - 1).is(";")) {
            text = sql.substring(0, toks.get(toks.size() - 1).start);
            toks = toks.subList(0, toks.size() - 1);
        }
        for (Tok t : toks) {
            if (t.is(";")) {
                throw refuse("only one statement is allowed (found ';')");
            }
        }
        if (toks.isEmpty() || !toks.get(0).isWord("SELECT")) {
            throw refuse("only SELECT statements are allowed");
        }
        for (Tok t : toks) {
            if (t.type == Type.WORD && FORBIDDEN.contains(t.text)) {
                throw refuse("keyword " + t.text + " is not allowed (read-only SELECT only)");
            }
        }
        nesting(toks);
        likePatterns(toks);
        new Walker(toks).walk();
        return text.strip();
    }

    /**
     * Deep nesting overflows the database's recursive-descent parser (a {@link StackOverflowError}); refuse it here
     * with a reason instead.
     */
    private static void nesting(List<Tok> toks) {
        int depth = 0;
        int chain = 0;
        for (Tok t : toks) {
            if (t.is("(") || t.isWord("CASE")) {
                depth++;
                if (depth > MAX_NESTING) {
                    throw refuse("nesting deeper than " + MAX_NESTING + " levels (parentheses and CASE)");
                }
            } else if (t.is(")") || t.isWord("END")) {
                depth--;
            }
            chain = t.isWord("NOT") || t.is("-") || t.is("+") ? chain + 1 : 0;
            if (chain > MAX_UNARY_CHAIN) {
                throw refuse("more than " + MAX_UNARY_CHAIN + " NOT, '-' or '+' in a row");
            }
        }
    }

    /**
     * The database matches {@code LIKE} patterns by backtracking without checking the query timeout, so a pattern
     * with several {@code %} before its end (say {@code '%a%a%a%a%a%a%ab'}) runs for minutes on one row. The pattern
     * must be a string literal with at most one {@code %} before its last character: prefix, suffix, contains and
     * {@code 'a%b'} shapes, whose cost grows linearly with the value.
     */
    private static void likePatterns(List<Tok> toks) {
        for (int i = 0; i < toks.size(); i++) {
            Tok t = toks.get(i);
            if (!t.isWord("LIKE") && !t.isWord("ILIKE")) {
                continue;
            }
            if (i + 1 >= toks.size() || toks.get(i + 1).type != Type.STRING) {
                throw refuse(t.text + " must be followed by a string literal pattern");
            }
            if (i + 2 < toks.size() && Set.of("||", "+", "-", "*", "/", "%").contains(toks.get(i + 2).text)
                    && toks.get(i + 2).type == Type.SYM) {
                throw refuse(t.text + " pattern must be a single string literal, not an expression");
            }
            String pattern = toks.get(i + 1).text;
            String body = pattern.substring(1, pattern.length() - 1);
            int before = 0;
            for (int k = 0; k < body.length() - 1; k++) {
                if (body.charAt(k) == '%') {
                    before++;
                }
            }
            if (before > 1) {
                throw refuse(t.text + " pattern " + pattern + " has " + before + " '%' before its end; at most one "
                        + "is allowed (e.g. 'abc%', '%abc%', 'a%b') so that every query ends within the timeout");
            }
        }
    }

    private static IllegalArgumentException refuse(String reason) {
        return new IllegalArgumentException(reason);
    }

    // ------------------------------------------------------------------ structure

    private enum Role { NONE, TABLE, ALIAS, SELECT_ALIAS, QUALIFIED, TYPE }

    private final class Walker {
        private final List<Tok> toks;
        private final Role[] roles;
        private final Map<String, String> aliases = new HashMap<>(); // alias or table -> table
        private final Set<String> selectAliases = new HashSet<>();
        private final Set<String> columns = new HashSet<>();

        Walker(List<Tok> toks) {
            this.toks = toks;
            this.roles = new Role[toks.size()];
            java.util.Arrays.fill(roles, Role.NONE);
        }

        void walk() {
            structure();
            // an unqualified name resolves to whichever table of its scope has such a column, perhaps one where it is
            // hidden (a subquery over another table): accept it unqualified only if every table here allows it
            boolean first = true;
            for (String table : new HashSet<>(aliases.values())) {
                if (first) {
                    columns.addAll(tables.get(table));
                    first = false;
                } else {
                    columns.retainAll(tables.get(table));
                }
            }
            identifiers();
        }

        /** Pass 1: tables, aliases, functions, clauses. */
        private void structure() {
            Deque<Frame> frames = new ArrayDeque<>();
            frames.push(new Frame(false, ""));
            boolean nextParenIsFunction = false;
            String nextFunction = "";
            for (int i = 0; i < toks.size(); i++) {
                Tok t = toks.get(i);
                Frame f = frames.peek();
                if (t.is("(")) {
                    frames.push(new Frame(nextParenIsFunction, nextFunction));
                    nextParenIsFunction = false;
                    nextFunction = "";
                    continue;
                }
                if (t.is(")")) {
                    if (frames.size() == 1) {
                        throw refuse("unbalanced ')'");
                    }
                    frames.pop();
                    continue;
                }
                if (t.type != Type.WORD || roles[i] != Role.NONE) {
                    continue;
                }
                boolean parenFollows = i + 1 < toks.size() && toks.get(i + 1).is("(");
                if (f.function && f.name.equals("CAST") && TYPES.contains(t.text) && i > 0 && toks.get(i - 1).isWord("AS")) {
                    roles[i] = Role.TYPE;
                    continue;
                }
                if (parenFollows && !PAREN_KEYWORDS.contains(t.text)) {
                    if (!FUNCTIONS.contains(t.text)) {
                        throw refuse("function " + t.text + " is not allowed");
                    }
                    nextParenIsFunction = true;
                    nextFunction = t.text;
                    continue;
                }
                if (f.function) {
                    continue; // FROM inside SUBSTRING(..) and friends is not a clause; AS only in CAST
                }
                switch (t.text) {
                    case "FROM" -> i = tableList(i + 1) - 1;
                    case "JOIN" -> i = tableRef(i + 1) - 1;
                    case "AS" -> {
                        if (i + 1 >= toks.size() || toks.get(i + 1).type != Type.WORD
                                || NOT_ALIAS.contains(toks.get(i + 1).text)) {
                            throw refuse("AS must be followed by an alias name");
                        }
                        roles[i + 1] = Role.SELECT_ALIAS;
                        selectAliases.add(toks.get(i + 1).text);
                        i++;
                    }
                    default -> {
                    }
                }
            }
            if (frames.size() != 1) {
                throw refuse("unbalanced '('");
            }
            if (aliases.isEmpty()) {
                throw refuse("the statement reads no allow-listed table");
            }
        }

        /** A comma-separated list of table references starting at {@code i}; returns the index after it. */
        private int tableList(int i) {
            i = tableRef(i);
            while (i < toks.size() && toks.get(i).is(",")) {
                i = tableRef(i + 1);
            }
            return i;
        }

        private int tableRef(int i) {
            if (i >= toks.size()) {
                throw refuse("a table name must follow FROM or JOIN");
            }
            Tok t = toks.get(i);
            if (t.is("(")) {
                throw refuse("subqueries in FROM are not allowed");
            }
            if (t.type != Type.WORD || NOT_ALIAS.contains(t.text)) {
                throw refuse("a table name must follow FROM or JOIN");
            }
            if (i + 1 < toks.size() && toks.get(i + 1).is(".")) {
                throw refuse("schema-qualified names are not allowed");
            }
            if (!tables.containsKey(t.text)) {
                throw refuse("table " + t.text + " is not allow-listed");
            }
            if (i + 1 < toks.size() && toks.get(i + 1).is("(")) {
                throw refuse("table functions are not allowed");
            }
            roles[i] = Role.TABLE;
            String named = aliases.putIfAbsent(t.text, t.text);
            if (named != null && !named.equals(t.text)) {
                throw refuse("alias " + t.text + " names another table");
            }
            int j = i + 1;
            if (j < toks.size() && toks.get(j).isWord("AS")) {
                j++;
                if (j >= toks.size() || toks.get(j).type != Type.WORD || NOT_ALIAS.contains(toks.get(j).text)) {
                    throw refuse("AS must be followed by an alias name");
                }
            }
            if (j < toks.size() && toks.get(j).type == Type.WORD && !NOT_ALIAS.contains(toks.get(j).text)) {
                String alias = toks.get(j).text;
                String previous = aliases.putIfAbsent(alias, t.text);
                if (previous != null && !previous.equals(t.text)) {
                    throw refuse("alias " + alias + " is used for two tables");
                }
                roles[j] = Role.ALIAS;
                if (j > i + 1) {
                    roles[i + 1] = Role.ALIAS; // the AS
                }
                return j + 1;
            }
            return j;
        }

        /** Pass 2: every remaining identifier is a keyword, an allow-listed column or an ORDER BY alias. */
        private void identifiers() {
            String clause = "";
            int depth = 0;
            int orderDepth = -1;
            Deque<String> clauses = new ArrayDeque<>();
            for (int i = 0; i < toks.size(); i++) {
                Tok t = toks.get(i);
                if (t.is("(")) {
                    clauses.push(clause);
                    depth++;
                    continue;
                }
                if (t.is(")")) {
                    clause = clauses.isEmpty() ? "" : clauses.pop();
                    depth--;
                    continue;
                }
                if (t.is("*")) {
                    boolean countStar = i >= 2 && toks.get(i - 1).is("(") && toks.get(i - 2).isWord("COUNT")
                            && i + 1 < toks.size() && toks.get(i + 1).is(")");
                    if (!countStar) {
                        throw refuse("'*' is not allowed: name the columns");
                    }
                    continue;
                }
                if (t.is(".")) {
                    if (i == 0 || roles[i - 1] != Role.QUALIFIED) {
                        throw refuse("unexpected '.'");
                    }
                    continue;
                }
                if (t.type != Type.WORD || roles[i] != Role.NONE) {
                    continue;
                }
                String w = t.text;
                if (FUNCTIONS.contains(w) && i + 1 < toks.size() && toks.get(i + 1).is("(")) {
                    continue;
                }
                if (KEYWORDS.contains(w)) {
                    if (Set.of("SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "ON")
                            .contains(w)) {
                        clause = w;
                        if (w.equals("ORDER")) {
                            orderDepth = depth;
                        }
                    }
                    continue;
                }
                if ((w.equals("ASC") || w.equals("DESC")) && clause.equals("ORDER") && i > 0 && endsExpression(i - 1)) {
                    continue;
                }
                if (i + 2 < toks.size() && toks.get(i + 1).is(".")) {
                    String table = aliases.get(w);
                    if (table == null) {
                        throw refuse("unknown table or alias " + w);
                    }
                    Tok col = toks.get(i + 2);
                    if (col.is("*")) {
                        throw refuse("'*' is not allowed: name the columns");
                    }
                    if (col.type != Type.WORD || !tables.get(table).contains(col.text)) {
                        throw refuse("column " + table + "." + col.text + " is not allow-listed");
                    }
                    roles[i] = Role.QUALIFIED;
                    roles[i + 2] = Role.QUALIFIED;
                    continue;
                }
                if (columns.contains(w)) {
                    continue;
                }
                if (selectAliases.contains(w) && clause.equals("ORDER")) {
                    // inside an expression the database reads a table column of that name, perhaps a hidden one
                    if (depth == orderDepth && wholeSortKey(i)) {
                        continue;
                    }
                    throw refuse("select alias " + w + " may only be a whole ORDER BY key, not part of an expression");
                }
                if (aliases.values().stream().distinct().count() > 1
                        && aliases.values().stream().anyMatch(table -> tables.get(table).contains(w))) {
                    throw refuse("column " + w + " is not allow-listed in every table of this statement; qualify it "
                            + "as table.column");
                }
                throw refuse("column " + w + " is not allow-listed for the tables in this statement");
            }
            if (depth != 0) {
                throw refuse("unbalanced parentheses");
            }
        }

        private boolean wholeSortKey(int i) {
            Tok before = toks.get(i - 1);
            if (!before.isWord("BY") && !before.is(",")) {
                return false;
            }
            if (i + 1 == toks.size()) {
                return true;
            }
            Tok after = toks.get(i + 1);
            return after.is(",") || after.is(")") || after.isWord("ASC") || after.isWord("DESC")
                    || after.isWord("LIMIT") || after.isWord("OFFSET");
        }

        private boolean endsExpression(int i) {
            Tok t = toks.get(i);
            return t.is(")") || t.type == Type.NUMBER || t.type == Type.STRING
                    || (t.type == Type.WORD && (roles[i] == Role.QUALIFIED || columns.contains(t.text)
                    || selectAliases.contains(t.text)));
        }
    }

    private record Frame(boolean function, String name) {
    }

    // ------------------------------------------------------------------ lexer

    private enum Type { WORD, STRING, NUMBER, SYM }

    private record Tok(Type type, String text, int start, int end) {
        boolean is(String sym) {
            return type == Type.SYM && text.equals(sym);
        }

        boolean isWord(String word) {
            return type == Type.WORD && text.equals(word);
        }
    }

    private static List<Tok> lex(String s) {
        List<Tok> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c > 127) {
                throw refuse("non-ASCII characters are only allowed inside string literals");
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
                continue;
            }
            char next = i + 1 < n ? s.charAt(i + 1) : '\0';
            if ((c == '-' && next == '-') || (c == '/' && next == '*') || c == '#') {
                throw refuse("comments are not allowed");
            }
            if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < n && (isAsciiLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                if (j < n && s.charAt(j) == '\'') {
                    throw refuse("prefixed string literals are not allowed");
                }
                out.add(new Tok(Type.WORD, s.substring(i, j).toUpperCase(Locale.ROOT), i, j));
                i = j;
                continue;
            }
            if (Character.isDigit(c) || (c == '.' && Character.isDigit(next))) {
                int j = i;
                while (j < n && Character.isDigit(s.charAt(j))) {
                    j++;
                }
                if (j < n && s.charAt(j) == '.') {
                    j++;
                    while (j < n && Character.isDigit(s.charAt(j))) {
                        j++;
                    }
                }
                if (j < n && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
                    int k = j + 1;
                    if (k < n && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
                        k++;
                    }
                    if (k < n && Character.isDigit(s.charAt(k))) {
                        j = k;
                        while (j < n && Character.isDigit(s.charAt(j))) {
                            j++;
                        }
                    }
                }
                if (j < n && (isAsciiLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '\'')) {
                    throw refuse("malformed number at position " + i);
                }
                out.add(new Tok(Type.NUMBER, s.substring(i, j), i, j));
                i = j;
                continue;
            }
            if (c == '\'') {
                int j = i + 1;
                while (true) {
                    if (j >= n) {
                        throw refuse("unterminated string literal");
                    }
                    if (s.charAt(j) == '\'') {
                        if (j + 1 < n && s.charAt(j + 1) == '\'') {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                out.add(new Tok(Type.STRING, s.substring(i, j + 1), i, j + 1));
                i = j + 1;
                continue;
            }
            if (c == '"' || c == '`' || c == '[') {
                throw refuse("quoted identifiers are not allowed");
            }
            String two = i + 1 < n ? s.substring(i, i + 2) : "";
            if (two.equals("<=") || two.equals(">=") || two.equals("<>") || two.equals("!=") || two.equals("||")) {
                out.add(new Tok(Type.SYM, two, i, i + 2));
                i += 2;
                continue;
            }
            if ("(),.*=<>+-/%;".indexOf(c) >= 0) {
                out.add(new Tok(Type.SYM, String.valueOf(c), i, i + 1));
                i++;
                continue;
            }
            throw refuse("character '" + (Character.isISOControl(c) ? "\\u" + String.format("%04x", (int) c)
                    : String.valueOf(c)) + "' is not allowed");
        }
        return out;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
