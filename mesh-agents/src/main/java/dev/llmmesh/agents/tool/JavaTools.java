package dev.llmmesh.agents.tool;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.llmmesh.catalog.Lifecycle;
import dev.llmmesh.catalog.Ownership;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Turns the {@code @Tool} methods of an object into {@link AgentTool}s, using langchain4j's
 * {@link ToolSpecifications} for the schema and {@link DefaultToolExecutor} to bind JSON arguments to parameters.
 * Compile with {@code -parameters} (or annotate parameters with {@code @P}) so parameter names reach the model.
 *
 * <p>A method that throws is reported to the model as an error carrying the exception's message: write messages a
 * model may read (no secrets). Arguments that do not fit the parameters are reported as invalid arguments.
 */
public final class JavaTools {
    private JavaTools() {
    }

    /**
     * One tool per public {@code @Tool} method of {@code target}, sorted by name, approved and unowned.
     *
     * @throws IllegalArgumentException if {@code target} has no public {@code @Tool} method, or a name is invalid
     */
    public static List<AgentTool> from(Object target) {
        return from(target, Ownership.UNOWNED);
    }

    /**
     * One tool per public {@code @Tool} method of {@code target}, sorted by name, approved and owned by
     * {@code owner}.
     *
     * @throws IllegalArgumentException if {@code target} has no public {@code @Tool} method, or a name is invalid
     */
    public static List<AgentTool> from(Object target, Ownership owner) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(owner, "owner");
        List<Method> methods = new ArrayList<>();
        for (Method m : target.getClass().getMethods()) {
            if (m.isAnnotationPresent(Tool.class) && !Modifier.isStatic(m.getModifiers())) {
                methods.add(m);
            }
        }
        if (methods.isEmpty()) {
            throw new IllegalArgumentException(target.getClass().getName() + " has no public @Tool method; annotate "
                    + "the methods the model may call with @dev.langchain4j.agent.tool.Tool");
        }
        methods.sort(Comparator.comparing(Method::getName));
        List<AgentTool> out = new ArrayList<>(methods.size());
        for (Method m : methods) {
            ToolSpecification spec = ToolSpecifications.toolSpecificationFrom(m);
            String description = spec.description() == null
                    ? String.join(" ", Arrays.asList(m.getAnnotation(Tool.class).value())) : spec.description();
            ToolDescriptor d = new ToolDescriptor(ToolDescriptor.requireName(spec.name()), description, ToolKind.JAVA,
                    false, owner, Lifecycle.approvedByDefault());
            out.add(new MethodTool(d, spec, new DefaultToolExecutor(target, m)));
        }
        return List.copyOf(out);
    }

    private record MethodTool(ToolDescriptor descriptor, ToolSpecification specification,
                              DefaultToolExecutor executor) implements AgentTool {
        @Override
        public ToolResult execute(ToolCall call) {
            ToolExecutionRequest request = ToolExecutionRequest.builder().id(call.callId()).name(call.toolName())
                    .arguments(call.arguments()).build();
            ToolExecutionResult result;
            try {
                result = executor.executeWithContext(request, InvocationContext.builder().build());
            } catch (IllegalArgumentException e) {
                return ToolResult.error("invalid arguments for " + call.toolName() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                // langchain4j wraps JSON parse errors in a bare RuntimeException
                return ToolResult.error("invalid arguments for " + call.toolName() + ": arguments must be a JSON "
                        + "object matching the tool's parameters");
            }
            String text = result.resultText() == null ? "" : result.resultText();
            return result.isError() ? ToolResult.error(text) : ToolResult.ok(text);
        }

        @Override
        public String toString() {
            return "JavaTool[" + descriptor.id() + "]";
        }
    }
}
