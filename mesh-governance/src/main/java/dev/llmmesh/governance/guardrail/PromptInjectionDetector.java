package dev.llmmesh.governance.guardrail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A heuristic prompt-injection scorer: weighted signals (instructions to ignore earlier instructions, requests to
 * reveal the system prompt, role hijacks such as "you are now DAN", chat-template delimiters, requests to drop
 * safety rules; English, German, French and Spanish phrasings) combined as {@code 1 - prod(1 - w)}. Immutable and
 * thread-safe. A cheap first line of defence, not a classifier: plug a model-backed {@link InputGuardrail} in for
 * better recall.
 */
public final class PromptInjectionDetector {
    /**
     * One signal: its pattern, and literals of which every match of the pattern contains at least one (in the text as
     * lower-cased and case-folded by {@link #folded}), so the pattern runs only on texts that hold one of them.
     */
    private record Signal(String name, Pattern pattern, double weight, String[] triggers) {
    }

    private static final Assessment NONE = new Assessment(0, List.of());

    private static final String PREV = "(?:previous|prior|above|earlier|preceding|all|any|the|your|these|those|"
            + "initial|original)";
    private static final String RULES = "(?:instructions?|prompts?|rules|directions|guidelines|context|messages?|"
            + "commands?)";
    private static final List<Signal> SIGNALS = List.of(
            s("ignore-instructions", "\\b(?:ignore|skip|bypass)\\s+(?:" + PREV + "\\s+){1,3}" + RULES, 0.9,
                    "ignore", "skip", "bypass"),
            s("disregard-instructions", "\\b(?:disregard|neglect|override|overrule)\\s+(?:" + PREV + "\\s+){0,3}"
                    + RULES, 0.85,
                    "disregard", "neglect", "overr"),
            s("forget-instructions", "\\bforget\\s+(?:everything|all|" + PREV + ")(?:\\s+\\w+){0,4}?\\s*"
                    + "(?:instructions?|rules|told|said|above|before)", 0.8,
                    "forget"),
            s("reveal-system-prompt", "\\b(?:reveal|show|print|repeat|output|leak|display|tell me|give me|what is|"
                    + "what are)\\s+(?:me\\s+)?(?:your|the)\\s+(?:system\\s+prompt|initial\\s+instructions|hidden\\s+"
                    + "instructions|original\\s+instructions|instructions\\s+above|secret\\s+instructions)", 0.8,
                    "prompt", "instructions"),
            s("system-prompt-mention", "\\bsystem\\s+prompt\\b", 0.3,
                    "prompt"),
            s("role-hijack", "\\byou\\s+are\\s+(?:now|no\\s+longer)\\b", 0.4,
                    "now", "longer"),
            s("jailbreak-persona", "\\b(?:dan|do\\s+anything\\s+now|developer\\s+mode|jailbr(?:eak|oken)|"
                    + "unfiltered|uncensored|evil\\s+confidant)\\b", 0.6,
                    "dan", "anything", "developer", "jailbr", "unfiltered", "uncensored", "confidant"),
            s("pretend", "\\b(?:pretend\\s+(?:you\\s+are|to\\s+be)|roleplay\\s+as|from\\s+now\\s+on\\s+you)\\b", 0.35,
                    "pretend", "roleplay", "now"),
            s("new-instructions", "\\b(?:new|updated|real|actual)\\s+instructions?\\s*:", 0.5,
                    "instruction"),
            s("no-restrictions", "\\bwithout\\s+(?:any\\s+)?(?:restrictions|filters|censorship|limitations|rules)\\b",
                    0.4,
                    "without"),
            s("drop-safety", "\\b(?:ignore|disable|turn\\s+off|bypass)\\s+(?:your|all|the|any)?\\s*(?:safety|content|"
                    + "ethical|moderation)\\s+(?:guidelines|policies|filters|rules|restrictions)", 0.85,
                    "ignore", "disable", "off", "bypass"),
            s("template-delimiter", "(?:<\\|im_start\\|>|<\\|system\\|>|<\\|endoftext\\|>|</?system>|\\[/?inst\\]|"
                    + "\\[system\\]|###\\s*(?:system|instruction)|begin\\s+system\\s+prompt)", 0.6,
                    "<|", "<system>", "</system>", "[inst]", "[/inst]", "[system]", "###", "begin"),
            s("de-ignore", "\\b(?:ignoriere|vergiss|missachte)\\s+(?:\\w+\\s+){0,3}(?:anweisungen|befehle|regeln|"
                    + "vorgaben|alles)", 0.85,
                    "ignorier", "vergiss", "missachte"),
            s("fr-ignore", "\\b(?:ignore[zr]?|oublie[zr]?)\\s+(?:\\w+\\s+){0,3}(?:instructions|consignes|r[eè]gles)",
                    0.85,
                    "ignore", "oublie"),
            s("es-ignore", "\\b(?:ignora|olvida)\\s+(?:\\w+\\s+){0,3}(?:instrucciones|reglas|indicaciones)", 0.85,
                    "ignora", "olvida"));

    private static Signal s(String name, String regex, double weight, String... triggers) {
        return new Signal(name, Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), weight,
                triggers);
    }

    /** The score in [0, 1] of {@code text}; 0 when no signal is present. */
    public double score(String text) {
        return assess(text).score();
    }

    /**
     * The score and the names of the signals that contributed (never the text). The text is lower-cased once; a
     * signal's pattern runs only when the text holds one of the literals every match of it needs (for ordinary text,
     * none does), so the cost is a few literal searches over the text rather than one regular expression per signal.
     * The result is the same as running every pattern.
     */
    public Assessment assess(String text) {
        Objects.requireNonNull(text, "text");
        String t = lowered(text);
        String f = folded(t);
        double keep = 1;
        List<String> hits = null;
        for (Signal sig : SIGNALS) {
            if (holdsTrigger(f, sig.triggers()) && sig.pattern().matcher(t).find()) {
                keep *= 1 - sig.weight();
                if (hits == null) {
                    hits = new ArrayList<>(4);
                }
                hits.add(sig.name());
            }
        }
        return hits == null ? NONE : new Assessment(1 - keep, hits);
    }

    /** {@link #assess} without the literal pre-check: every pattern on the whole text (to check the two agree). */
    Assessment assessWithEveryPattern(String text) {
        String t = lowered(text);
        double keep = 1;
        List<String> hits = new ArrayList<>();
        for (Signal sig : SIGNALS) {
            if (sig.pattern().matcher(t).find()) {
                keep *= 1 - sig.weight();
                hits.add(sig.name());
            }
        }
        return new Assessment(1 - keep, hits);
    }

    private static String lowered(String text) {
        String t = text.length() > 20_000 ? text.substring(0, 20_000) : text;
        return t.replace('\u00a0', ' ').toLowerCase(Locale.ROOT);
    }

    /**
     * {@code lowered} with the two characters that still match an ASCII letter under the patterns' Unicode case
     * folding replaced by it (dotless i, long s); every other lower-cased character matches an ASCII pattern letter
     * only if it is that letter.
     */
    private static String folded(String lowered) {
        if (lowered.indexOf('\u0131') < 0 && lowered.indexOf('\u017f') < 0) {
            return lowered;
        }
        return lowered.replace('\u0131', 'i').replace('\u017f', 's');
    }

    private static boolean holdsTrigger(String folded, String[] triggers) {
        for (String trigger : triggers) {
            if (folded.contains(trigger)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The result of one assessment.
     *
     * @param score   in [0, 1]
     * @param signals the names of the signals found
     */
    public record Assessment(double score, List<String> signals) {
        public Assessment {
            signals = List.copyOf(signals);
        }
    }
}
