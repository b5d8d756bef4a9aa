package dev.llmmesh.governance.internal;

import dev.llmmesh.governance.guardrail.SystemPromptEchoDetector;
import dev.llmmesh.governance.pii.PiiScanner;
import dev.llmmesh.governance.pii.PiiSpan;
import dev.llmmesh.intercept.StreamTransformer;
import java.util.ArrayList;
import java.util.List;

/**
 * The streaming side of the output guardrails, over a sliding window rather than the whole answer: watches for a
 * system-prompt echo ({@link SystemPromptEchoDetector.Window}) and, when leaked PII must not reach the caller, holds
 * back the last {@value #WINDOW} characters (never cutting a word or a detected value) so a value split across
 * chunks is still caught and masked before it is emitted. One instance per call, called from one thread at a time.
 */
final class OutputStreamGuard implements StreamTransformer {
    static final int WINDOW = 96;

    private final PiiScanner scanner;
    private final CallState state;
    private final boolean maskLeaks;
    private final SystemPromptEchoDetector echoDetector;
    private SystemPromptEchoDetector.Window echo;
    private final StringBuilder pending = new StringBuilder();
    private int attempt = -1;

    OutputStreamGuard(PiiScanner scanner, CallState state, boolean maskLeaks, SystemPromptEchoDetector echo) {
        this.scanner = scanner;
        this.state = state;
        this.maskLeaks = maskLeaks;
        this.echoDetector = echo;
        this.echo = echo.window();
    }

    @Override
    public String onPartial(String text) {
        int current = state.attempts.get();
        if (current != attempt) {
            // a new attempt: whatever an earlier one left here was never delivered (the stream was not committed)
            attempt = current;
            pending.setLength(0);
            echo = echoDetector.window();
        }
        if (echo.feed(text)) {
            state.echoSeenInStream = true;
        }
        if (!maskLeaks) {
            return text;
        }
        pending.append(text);
        int safe = pending.length() - WINDOW;
        if (safe <= 0) {
            return "";
        }
        while (safe > 0 && !Character.isWhitespace(pending.charAt(safe - 1))) {
            safe--;
        }
        if (safe == 0) {
            return "";
        }
        String buf = pending.toString();
        List<PiiSpan> leaks = leaks(buf);
        for (PiiSpan s : leaks) {
            if (s.start() < safe && s.end() > safe) {
                safe = s.start();
            }
        }
        List<PiiSpan> ready = new ArrayList<>();
        for (PiiSpan s : leaks) {
            if (s.end() <= safe) {
                ready.add(s);
            }
        }
        String out = GovernanceCallInterceptor.mask(buf.substring(0, safe), ready);
        pending.delete(0, safe);
        return out;
    }

    @Override
    public String flush() {
        if (!maskLeaks) {
            return "";
        }
        String buf = pending.toString();
        pending.setLength(0);
        return GovernanceCallInterceptor.mask(buf, leaks(buf));
    }

    private List<PiiSpan> leaks(String buf) {
        List<PiiSpan> out = new ArrayList<>();
        for (PiiSpan s : scanner.scan(buf)) {
            if (!state.fromInput(buf.substring(s.start(), s.end()))) {
                out.add(s);
            }
        }
        return out;
    }
}
