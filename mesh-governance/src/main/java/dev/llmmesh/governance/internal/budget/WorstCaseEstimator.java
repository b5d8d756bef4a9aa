package dev.llmmesh.governance.internal.budget;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.llmmesh.CallContext;
import dev.llmmesh.PolicyDeniedException;
import dev.llmmesh.catalog.Catalog;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.governance.budget.BudgetConfig;
import dev.llmmesh.governance.budget.CostEstimate;
import dev.llmmesh.governance.budget.TokenEstimator;
import dev.llmmesh.routing.RouterConfig;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The worst case a call may cost: for every model the router could pick for it (usable lifecycle, the pinned model
 * if any, the capabilities the request implies, the data class, room for the requested {@code max_tokens}), the
 * estimated input at the higher of the input and cached-input prices plus the output allowance at the higher of the
 * output and reasoning prices; the maximum over those models, doubled when the mesh hedges. The filters are a subset
 * of the router's (policy and health filters are left out), so the candidate set is a superset of the router's and
 * the maximum can only be higher. Thread-safe.
 */
public final class WorstCaseEstimator {
    /** The policy id of the denial when only models without a price could serve a call. */
    public static final String UNPRICED_POLICY = "budgets/unpriced-models";
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000L);
    private static final int MAX_CACHED_PRICES = 4096;

    private final Catalog catalog;
    private final Supplier<RouterConfig> routing;
    private final BudgetConfig config;
    private final Calibration calibration;
    private final Map<Pricing, long[]> worstRates = new ConcurrentHashMap<>();

    public WorstCaseEstimator(Catalog catalog, Supplier<RouterConfig> routing, BudgetConfig config) {
        this(catalog, routing, config, new Calibration());
    }

    /** With {@code calibration}'s output factors applied to each model's output allowance. */
    public WorstCaseEstimator(Catalog catalog, Supplier<RouterConfig> routing, BudgetConfig config,
                              Calibration calibration) {
        this.calibration = calibration;
        this.catalog = catalog;
        this.routing = routing;
        this.config = config;
    }

    /**
     * The worst case of {@code request}.
     *
     * @throws PolicyDeniedException if only models without a price could serve it and such models are rejected
     */
    public CostEstimate estimate(ChatRequest request, CallContext context, boolean streaming) {
        long worstIn = 0;
        TokenEstimator estimator = config.tokenEstimator();
        long generic = -1;
        Integer requestedMax = request.maxOutputTokens();
        Optional<Integer> cap = config.maxOutputTokensFor(context.team());
        Set<Capability> needed = requiredCapabilities(request, context, streaming);
        String pinned = request.modelName();
        // candidates are compared in integer picodollars when their prices are exact at that scale (every published
        // price); only the winner's amount is computed in BigDecimal, by the same formula as before
        long worstPico = -1;
        Pricing worstPricing = null;
        BigDecimal worst = null;
        String worstModel = null;
        long worstOut = 0;
        boolean worstIsDefault = false;
        int candidates = 0;
        String unpriced = null;
        List<ModelDescriptor> models = catalog.models().usable().list();
        for (ModelDescriptor m : models) {
            if (pinned != null && !m.answersTo(pinned)) {
                continue;
            }
            if (!m.capabilities().containsAll(needed) || !m.maxDataClass().admits(context.dataClass())) {
                continue;
            }
            if (requestedMax != null && requestedMax > m.maxOutputTokens()) {
                continue;
            }
            long out = requestedMax != null ? requestedMax : m.maxOutputTokens();
            if (cap.isPresent()) {
                out = Math.min(out, cap.get());
            }
            double factor = calibration.outputFactor(m.id());
            if (factor > 1) {
                out = (long) Math.ceil(out * factor); // this model has billed beyond its allowance before
            }
            long input;
            if (estimator == TokenEstimator.DEFAULT && !Tokenizers.hasTokenizer(m)) {
                if (generic < 0) {
                    generic = Math.max(0, estimator.inputTokens(request)); // the same for every such model
                }
                input = generic;
            } else {
                input = Math.max(0, estimator.inputTokens(request, m));
            }
            long pico = -1;
            BigDecimal cost = null;
            boolean isDefault = false;
            Optional<Pricing> pricing = m.pricing();
            if (pricing.isPresent()) {
                pico = worstPico(pricing.get(), input, out);
                if (pico < 0) {
                    cost = worstCost(pricing.get(), input, out);
                }
            } else if (config.unpricedReservation().isPresent()) {
                cost = config.unpricedReservation().get();
                isDefault = true;
            } else {
                unpriced = unpriced == null ? m.id() : unpriced;
                continue;
            }
            candidates++;
            boolean higher;
            if (worstModel == null) {
                higher = true;
            } else if (pico >= 0 && worstPico >= 0) {
                higher = pico > worstPico;
            } else {
                BigDecimal current = worst != null ? worst : worstCost(worstPricing, worstIn, worstOut);
                higher = (cost != null ? cost : worstCost(pricing.get(), input, out)).compareTo(current) > 0;
            }
            if (higher) {
                worstPico = pico;
                worstPricing = pico >= 0 ? pricing.get() : null;
                worst = cost;
                worstModel = m.id();
                worstOut = out;
                worstIn = input;
                worstIsDefault = isDefault;
            }
        }
        if (worstModel == null) {
            if (unpriced != null) {
                throw new PolicyDeniedException(UNPRICED_POLICY, "the cost of this call cannot be estimated: model "
                        + unpriced + " has no price and budgets reject models without one; add its pricing, or set "
                        + "budgets.unpricedReservation to reserve a conservative default", unpriced);
            }
            return new CostEstimate(BigDecimal.ZERO, Math.max(0, config.tokenEstimator().inputTokens(request)), 0,
                    Optional.empty(), false);
        }
        if (worst == null) {
            worst = fromPico(worstPico, worstPricing);
        }
        if (!streaming && candidates >= 2 && routing.get().hedging().isPresent()) {
            worst = worst.multiply(BigDecimal.valueOf(2)); // a hedged call bills both attempts
        }
        return new CostEstimate(worst, worstIn, worstOut, Optional.of(worstModel), worstIsDefault);
    }

    /**
     * {@link #worstCost} in picodollars, from rates cached per price list; -1 when a price is not exact in
     * picodollars per token or the amount does not fit a long (then {@link #worstCost} decides).
     */
    long worstPico(Pricing p, long input, long output) {
        long[] rates = worstRates.get(p);
        if (rates == null) {
            rates = worstPicoRates(p);
            if (worstRates.size() >= MAX_CACHED_PRICES) {
                worstRates.clear();
            }
            worstRates.put(p, rates);
        }
        if (rates.length == 0) {
            return -1;
        }
        try {
            return Math.addExact(Math.multiplyExact(input, rates[0]), Math.multiplyExact(output, rates[1]));
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    /**
     * {@code pico} picodollars as {@link #worstCost} writes the same amount: the exact quotient with trailing zeros
     * stripped, but not below the scale of the prices (the scale {@code BigDecimal.divide} prefers).
     */
    static BigDecimal fromPico(long pico, Pricing p) {
        BigDecimal in = p.cachedInputPerMillion().filter(c -> c.compareTo(p.inputPerMillion()) > 0)
                .orElse(p.inputPerMillion());
        int scale = Math.max(0, Math.max(in.scale(), p.worstOutputPerMillion().scale()));
        BigDecimal v = BigDecimal.valueOf(pico, 12).stripTrailingZeros();
        return v.scale() < scale ? v.setScale(scale) : v;
    }

    /** Picodollars per input token (the higher of input and cached input) and per output token; empty if inexact. */
    static long[] worstPicoRates(Pricing p) {
        BigDecimal in = p.cachedInputPerMillion().filter(c -> c.compareTo(p.inputPerMillion()) > 0)
                .orElse(p.inputPerMillion());
        try {
            return new long[] {in.movePointRight(6).longValueExact(),
                p.worstOutputPerMillion().movePointRight(6).longValueExact()};
        } catch (ArithmeticException e) {
            return new long[0];
        }
    }

    static BigDecimal worstCost(Pricing p, long input, long output) {
        BigDecimal in = p.cachedInputPerMillion().filter(c -> c.compareTo(p.inputPerMillion()) > 0)
                .orElse(p.inputPerMillion());
        return in.multiply(BigDecimal.valueOf(input))
                .add(p.worstOutputPerMillion().multiply(BigDecimal.valueOf(output)))
                .divide(MILLION, MathContext.DECIMAL128);
    }

    /** The capabilities the router will require, as core's router derives them. */
    static Set<Capability> requiredCapabilities(ChatRequest request, CallContext context, boolean streaming) {
        Set<Capability> need = EnumSet.noneOf(Capability.class);
        need.addAll(context.requiredCapabilities());
        if (streaming) {
            need.add(Capability.STREAMING);
        }
        if (request.toolSpecifications() != null && !request.toolSpecifications().isEmpty()) {
            need.add(Capability.TOOLS);
        }
        ResponseFormat format = request.responseFormat();
        if (format != null && format.type() == ResponseFormatType.JSON) {
            need.add(format.jsonSchema() != null ? Capability.JSON_SCHEMA : Capability.JSON_MODE);
        }
        for (ChatMessage m : request.messages()) {
            if (m instanceof UserMessage u && u.contents().stream().anyMatch(c -> c instanceof ImageContent)) {
                need.add(Capability.VISION);
                break;
            }
        }
        return need;
    }
}
