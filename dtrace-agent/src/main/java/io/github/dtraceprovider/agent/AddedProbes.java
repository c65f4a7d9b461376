package io.github.dtraceprovider.agent;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.named;

/** The probes added to this JVM's methods, in a provider of the agent's own. */
final class AddedProbes {

    static final String PROVIDER = "dynamic";
    /** The JDK's, and this project's own code, except the demo: never probed. */
    private static final List<String> REFUSED = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "net.bytebuddy.",
            "io.github.dtraceprovider.core.", "io.github.dtraceprovider.spring.", "io.github.dtraceprovider.agent.",
            "io.github.dtraceprovider.test.");
    private static final Set<Class<?>> INTEGRAL = Set.of(int.class, long.class, short.class, byte.class);

    private record Added(MethodPattern pattern, List<String> arguments, List<Class<?>> classes,
            ResettableClassFileTransformer transformer) {
    }

    private final Instrumentation instrumentation;
    private final Map<String, Added> added = new LinkedHashMap<>();
    private DTraceProvider provider;

    AddedProbes(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    String add(String name, MethodPattern pattern, List<String> arguments) {
        if (added.containsKey(name)) {
            throw new IllegalArgumentException("probe " + name + " is added already: --remove it first");
        }
        if (REFUSED.stream().anyMatch(pattern.className()::startsWith)) {
            throw new IllegalArgumentException(pattern.className() + " cannot be probed: the JDK's classes and this "
                    + "project's are left alone");
        }
        List<Class<?>> classes = Arrays.<Class<?>>stream(instrumentation.getAllLoadedClasses())
                .filter(type -> type.getName().equals(pattern.className())).toList();
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("no class " + pattern.className() + " is loaded in this JVM");
        }
        List<Method> methods = classes.stream().flatMap(type -> Arrays.stream(type.getDeclaredMethods()))
                .filter(pattern::matches).toList();
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("no method matches " + pattern + "; " + pattern.className()
                    + " declares " + classes.stream().flatMap(type -> Arrays.stream(type.getDeclaredMethods()))
                    .filter(method -> !method.isSynthetic()).map(Method::getName).distinct().sorted().collect(Collectors.joining(", ")));
        }
        List<ArgumentExpression> expressions = arguments.stream().map(ArgumentExpression::parse).toList();
        boolean[] numbers = new boolean[expressions.size()];
        List<String> declarations = new ArrayList<>();
        for (int i = 0; i < expressions.size(); i++) {
            ArgumentExpression expression = expressions.get(i);
            if (methods.stream().anyMatch(method -> method.getParameterCount() <= expression.argument())) {
                throw new IllegalArgumentException(expression.text() + ": " + pattern + " has fewer parameters");
            }
            // Set.of's contains refuses null: a path's type is known only at run time, and passed as a string
            numbers[i] = methods.stream().map(expression::declaredType).allMatch(type -> type != null
                    && INTEGRAL.contains(type));
            declarations.add((numbers[i] ? "long " : "char * ") + "arg" + i);
        }
        boolean atReturn = expressions.stream().anyMatch(ArgumentExpression::atReturn);
        DTraceProvider provider = provider();
        Probe probe = provider.addProbe(name, declarations);
        provider.enable();
        int slot = ProbeDispatch.add(new ProbeDispatch.Slot(probe, expressions, numbers));
        long start = System.nanoTime();
        ResettableClassFileTransformer transformer = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                // only the probed classes: a scan of every loaded class took up to a second
                .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(new HashSet<>(classes)))
                .type(named(pattern.className()))
                .transform((builder, type, loader, module, domain) -> builder.visit(Advice.withCustomMapping()
                        .bind(ProbeIndex.class, slot).to(atReturn ? ReturnAdvice.class : ProbeAdvice.class)
                        .on(method -> methods.stream().anyMatch(m -> is(m).matches(method)))))
                .installOn(instrumentation);
        added.put(name, new Added(pattern, arguments, classes, transformer));
        return "added " + PROVIDER + ":" + probe.noteName() + " to " + methods.size() + " method(s) of "
                + pattern.className() + " in " + provider.objectPaths() + ", woven in "
                + (System.nanoTime() - start) / 1000 + " us";
    }

    String remove(String name) {
        Added probe = added.remove(name);
        if (probe == null) {
            throw new IllegalArgumentException("no probe " + name + " is added");
        }
        long start = System.nanoTime();
        probe.transformer().reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION,
                new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(new HashSet<>(probe.classes())));
        return "removed " + name + " from " + probe.pattern() + " in " + (System.nanoTime() - start) / 1000 + " us";
    }

    String list() {
        return added.isEmpty() ? "no probes added" : added.entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue().pattern() + " " + entry.getValue().arguments())
                .collect(Collectors.joining("\n"));
    }

    private DTraceProvider provider() {
        if (provider == null) {
            provider = DTraceProvider.create(PROVIDER);
        }
        return provider;
    }
}
