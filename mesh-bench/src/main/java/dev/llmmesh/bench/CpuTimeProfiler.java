package dev.llmmesh.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports CPU time per operation, which a busy shared machine disturbs far less than wall-clock
 * time: a benchmark thread that waits for a core does not accumulate CPU time while it waits. Use it next to the
 * wall-clock figures with {@code -prof dev.llmmesh.bench.CpuTimeProfiler}. Two secondary results per iteration:
 * <ul>
 *   <li>{@code cpu.worker.norm}: CPU time of the JMH worker threads divided by the operations of the iteration,
 *       i.e. what the benchmarked code costs on the calling thread;</li>
 *   <li>{@code cpu.process.norm}: CPU time of the whole benchmark JVM (GC, JIT, pool threads included) divided by
 *       the same operations, i.e. what a call costs the machine.</li>
 * </ul>
 * Both count every operation of the iteration, like {@code -prof gc}'s {@code gc.alloc.rate.norm}.
 *
 * <p>JMH creates one instance per benchmark run and calls it from its control thread; not thread-safe.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> workerCpuBefore = new HashMap<>();
    private long processCpuBefore;

    /** Called reflectively by JMH. */
    public CpuTimeProfiler() {
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    @Override
    public String getDescription() {
        return "CPU time per operation of the benchmark threads and of the whole JVM (ThreadMXBean)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        workerCpuBefore.clear();
        workerCpuBefore.putAll(workerCpu());
        processCpuBefore = processCpu();
    }

    @Override
    public Collection<ScalarResult> afterIteration(BenchmarkParams benchmarkParams,
                                                        IterationParams iterationParams, IterationResult result) {
        long worker = 0;
        for (Map.Entry<Long, Long> e : workerCpu().entrySet()) {
            // a worker started during the iteration counts from zero
            worker += e.getValue() - workerCpuBefore.getOrDefault(e.getKey(), 0L);
        }
        long processNow = processCpu();
        long ops = result.getMetadata() == null ? 0 : result.getMetadata().getAllOps();
        List<ScalarResult> out = new ArrayList<>(2);
        out.add(new ScalarResult("cpu.worker.norm", ops == 0 ? Double.NaN : worker / (double) ops, "ns/op",
                AggregationPolicy.AVG));
        if (processCpuBefore >= 0 && processNow >= 0) {
            long process = processNow - processCpuBefore;
            out.add(new ScalarResult("cpu.process.norm", ops == 0 ? Double.NaN : process / (double) ops, "ns/op",
                    AggregationPolicy.AVG));
        }
        return out;
    }

    private Map<Long, Long> workerCpu() {
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("jmh-worker")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    out.put(info.getThreadId(), cpu);
                }
            }
        }
        return out;
    }

    /** The JVM's CPU time in nanoseconds, or -1 when the platform does not say. */
    private static long processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
