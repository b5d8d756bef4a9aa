package dev.llmmesh.governance.internal.audit;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshInternalException;
import dev.llmmesh.Verdict;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.governance.audit.AuditRecord;
import dev.llmmesh.governance.audit.WhenFull;
import dev.llmmesh.intercept.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first call interceptor: reserves room in the outbox (so a full outbox refuses a call before it costs anything),
 * lets the call run, and appends one record for it, whether it answered or failed, before returning to the caller.
 * Also the {@link MeshListener} that collects models denied on an attempt, keyed by request id for the calls in
 * flight only.
 */
public final class AuditInterceptor implements Interceptor, MeshListener {
    private static final Logger LOG = LoggerFactory.getLogger(AuditInterceptor.class);
    private static final int MAX_DENIALS = 64;

    private final Outbox outbox;
    private final RecordBuilder records;
    private final Clock clock;
    private final WhenFull whenFull;
    private final ConcurrentMap<String, List<AuditRecord.Decision>> denials = new ConcurrentHashMap<>();
    private final AtomicLong lost = new AtomicLong();

    public AuditInterceptor(Outbox outbox, RecordBuilder records, Clock clock, WhenFull whenFull) {
        this.outbox = outbox;
        this.records = records;
        this.clock = clock;
        this.whenFull = whenFull;
    }

    @Override
    public String name() {
        return "audit";
    }

    /** Records that could not be appended at all (disk errors). */
    public long lost() {
        return lost.get();
    }

    /** Calls in flight (their records not yet written). */
    public int inFlight() {
        return denials.size();
    }

    @Override
    public ChatResponse intercept(Chain chain) {
        outbox.acquire();
        String requestId = chain.call().requestId();
        List<AuditRecord.Decision> denied = new ArrayList<>(0);
        denials.put(requestId, denied);
        ChatRequest request = chain.request();
        ChatResponse response;
        try {
            response = chain.proceed(request);
        } catch (Throwable t) {
            write(chain, request, null, t, requestId, denied);
            throw t;
        }
        if (!write(chain, request, response, null, requestId, denied) && whenFull == WhenFull.FAIL_CLOSED) {
            throw new MeshInternalException(ErrorKind.INTERNAL, "the audit record of this call could not be written "
                    + "(see the log); the answer is withheld because audit fails closed", null);
        }
        return response;
    }

    private boolean write(Chain chain, ChatRequest request, @Nullable ChatResponse response, @Nullable Throwable error,
                          String requestId, List<AuditRecord.Decision> denied) {
        denials.remove(requestId, denied);
        boolean appended = false;
        try {
            List<AuditRecord.Decision> deniedCopy;
            synchronized (denied) {
                deniedCopy = List.copyOf(denied);
            }
            Duration latency = Duration.between(chain.call().startedAt(), clock.instant());
            AuditRecord record = records.build(chain.call(), chain.context(), request, chain.streaming(), response,
                    error, latency.isNegative() ? Duration.ZERO : latency, deniedCopy);
            outbox.append(record.toJson(), true);
            appended = true;
        } catch (RuntimeException e) {
            lost.incrementAndGet();
            LOG.error("audit: the record of request {} could not be written ({})", requestId, e.getClass().getName());
        } finally {
            if (!appended) {
                outbox.release();
            }
        }
        return appended;
    }

    @Override
    public void modelDenied(MeshEvent.ModelDenied event) {
        List<AuditRecord.Decision> list = denials.get(event.requestId());
        if (list == null) {
            return;
        }
        synchronized (list) {
            if (list.size() < MAX_DENIALS) {
                list.add(new AuditRecord.Decision(event.policyId(), Verdict.Decision.DENY,
                        RecordBuilder.detail(event.reason()), Optional.of(event.modelId()),
                        AuditRecord.Source.MODEL_DENIED));
            }
        }
    }
}
