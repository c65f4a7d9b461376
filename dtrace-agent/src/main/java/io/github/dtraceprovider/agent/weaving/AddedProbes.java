package io.github.dtraceprovider.agent.weaving;

import java.lang.instrument.Instrumentation;
import java.lang.ref.WeakReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.dtraceprovider.agent.ProbeDispatch;
import io.github.dtraceprovider.core.ArgType;
import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.AgentBuilder.RedefinitionStrategy;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodDescription.ForLoadedConstructor;
import net.bytebuddy.description.method.MethodDescription.ForLoadedMethod;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * The probes added to this JVM's methods, in a provider of the agent's own. Adding one weaves advice into the
 * classes that declare the methods, by retransformation; removing it retransforms them back. It keeps no application
 * object and, between requests, only weak references to the probed classes, so a redeployed application's classes
 * can still be collected.
 */
final class AddedProbes {

    static final String PROVIDER = "dynamic";
    /** The JDK's classes and this project's own (except the demo), which are never probed. */
    private static final List<String> REFUSED = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "net.bytebuddy.",
            "io.github.dtraceprovider.core.", "io.github.dtraceprovider.spring.", "io.github.dtraceprovider.agent.",
            "io.github.dtraceprovider.test.", "com.sun.jna.");

    private record Added(String name, MethodPattern pattern, int methods, boolean atReturn, List<String> declarations,
            List<ArgumentExpression> expressions, Probe probe, int slot, List<WeakReference<Class<?>>> classes,
            ResettableClassFileTransformer transformer) {

        AddedMethodProbe description() {
            return new AddedMethodProbe(PROVIDER, name, probe.noteName(), pattern.toString(), methods, atReturn, declarations,
                    expressions.stream().map(ArgumentExpression::text).toList(), probe.fireCount(),
                    probe.failureCount());
        }
    }

    private final Instrumentation instrumentation;
    private final Map<String, Added> added = new LinkedHashMap<>();
    private DTraceProvider provider;

    AddedProbes(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    synchronized String add(String name, String method, String arguments) {
        MethodPattern pattern = MethodPattern.parse(method);
        List<ArgumentExpression> expressions = ArgumentExpression.parseAll(arguments);
        if (added.containsKey(name)) {
            throw new IllegalArgumentException("probe " + name + " is added already: --remove it first");
        }
        List<Class<?>> classes = loadedClasses(pattern.className());
        List<Executable> methods = probedMethods(pattern, classes);
        boolean atReturn = expressions.stream().anyMatch(ArgumentExpression::atReturn);
        int[] parameterIndexes = new int[expressions.size()];
        ArgType[] types = new ArgType[expressions.size()];
        List<String> declarations = new ArrayList<>();
        for (int i = 0; i < expressions.size(); i++) {
            ArgumentExpression expression = expressions.get(i);
            parameterIndexes[i] = expression.atReturn() ? -1 : sameParameterInEach(expression, methods);
            if (expression.root() == ArgumentExpression.Root.RETURN
                    && methods.stream().anyMatch(AddedProbes::returnsNothing)) {
                throw new IllegalArgumentException(expression.text() + ": " + pattern + " returns nothing");
            }
            if (expression.root() == ArgumentExpression.Root.THROWN
                    && methods.stream().anyMatch(Constructor.class::isInstance)) {
                throw new IllegalArgumentException(expression.text() + ": a constructor's probe fires at its normal "
                        + "return only (the JVM lets no handler cover the call to the super constructor)");
            }
            types[i] = expression.probeType(methods);
            declarations.add(types[i].declaration() + " " + expression.probeArgumentName());
        }
        Probe definition = probe(name, declarations);
        int slot = ProbeDispatch.add(new ProbeSlot(definition, expressions, parameterIndexes, types));
        long start = System.nanoTime();
        ResettableClassFileTransformer transformer;
        try {
            transformer = weave(pattern.className(), classes, methods, slot, atReturn);
        } catch (RuntimeException e) {
            ProbeDispatch.remove(slot);
            throw e;
        }
        Added probe = new Added(name, pattern, methods.size(), atReturn, declarations, expressions, definition, slot,
                classes.stream().<WeakReference<Class<?>>>map(WeakReference::new).toList(), transformer);
        added.put(name, probe);
        return "added " + probe.description().describe() + ", woven in " + (System.nanoTime() - start) / 1_000_000
                + " ms";
    }

    synchronized String remove(String name) {
        Added probe = added.remove(name);
        if (probe == null) {
            throw new IllegalArgumentException("no probe " + name + " is added" + (added.isEmpty() ? ""
                    : "; the added probes are " + String.join(", ", added.keySet())));
        }
        long start = System.nanoTime();
        Set<Class<?>> classes = probe.classes().stream().map(WeakReference::get).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        reset(probe.transformer(), classes);
        ProbeDispatch.remove(probe.slot());
        return "removed " + name + " from " + probe.pattern() + " in "
                + (System.nanoTime() - start) / 1_000_000 + " ms";
    }

    synchronized List<AddedMethodProbe> list() {
        return added.values().stream().map(Added::description).toList();
    }

    private List<Class<?>> loadedClasses(String className) {
        if (REFUSED.stream().anyMatch(className::startsWith)) {
            throw new IllegalArgumentException(className + " cannot be probed: the JDK's classes and this project's "
                    + "are left alone");
        }
        List<Class<?>> classes = Arrays.<Class<?>>stream(instrumentation.getAllLoadedClasses())
                .filter(type -> type.getName().equals(className)).toList();
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("no class " + className + " is loaded in this JVM (a class is loaded "
                    + "when first used: use the application, then add the probe)");
        }
        for (Class<?> type : classes) {
            if (type.getClassLoader() == null || type.getClassLoader() == ClassLoader.getPlatformClassLoader()) {
                throw new IllegalArgumentException(className + " cannot be probed: it is part of the JDK");
            }
            if (!seesProbeDispatch(type.getClassLoader())) {
                throw new IllegalArgumentException(className + " cannot be probed: its class loader ("
                        + type.getClassLoader().getName() + ", " + type.getClassLoader().getClass().getName()
                        + ") does not delegate to the system class loader, where the woven code finds the agent");
            }
            if (!instrumentation.isModifiableClass(type)) {
                throw new IllegalArgumentException(className + " cannot be probed: the JVM does not let it change");
            }
        }
        return classes;
    }

    /** Woven code calls ProbeDispatch: a class whose loader cannot find it would throw NoClassDefFoundError. */
    private static boolean seesProbeDispatch(ClassLoader loader) {
        try {
            return Class.forName(ProbeDispatch.class.getName(), false, loader) == ProbeDispatch.class;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static List<Executable> probedMethods(MethodPattern pattern, List<Class<?>> classes) {
        List<Executable> declared = classes.stream()
                .flatMap(type -> Stream.concat(Arrays.stream(type.getDeclaredConstructors()),
                        Arrays.stream(type.getDeclaredMethods())))
                .filter(method -> !(method instanceof Method m && m.isBridge())).toList();
        List<Executable> matching = declared.stream().filter(pattern::matches).toList();
        if (matching.isEmpty()) {
            throw new IllegalArgumentException("no method matches " + pattern + "; " + pattern.className()
                    + " declares " + declared.stream().filter(method -> !method.isSynthetic()).map(MethodPattern::name)
                    .distinct().sorted().collect(Collectors.joining(", ")));
        }
        List<Executable> withCode = matching.stream()
                .filter(method -> !Modifier.isAbstract(method.getModifiers()) && !Modifier.isNative(method.getModifiers()))
                .toList();
        if (withCode.isEmpty()) {
            throw new IllegalArgumentException(pattern + " has no code of its own (abstract or native): probe the "
                    + "classes that implement it");
        }
        return withCode;
    }

    /** A parameter's name may sit at another place in each overload: then the user must choose one. */
    private static int sameParameterInEach(ArgumentExpression expression, List<Executable> methods) {
        Set<Integer> indexes = methods.stream().map(expression::parameterIndex).collect(Collectors.toSet());
        if (indexes.size() > 1) {
            throw new IllegalArgumentException(expression.text() + " is another parameter in each overload: select one "
                    + "with CLASS#METHOD(TYPE,...), or use argN");
        }
        return indexes.iterator().next();
    }

    private static boolean returnsNothing(Executable method) {
        return method instanceof Constructor || ((Method) method).getReturnType() == void.class;
    }

    /**
     * A name that was added and removed stays defined in the provider (a provider cannot drop a probe): it can come
     * back with the same arguments.
     */
    private Probe probe(String name, List<String> declarations) {
        DTraceProvider provider = provider();
        Probe existing = provider.findProbe(name).orElse(null);
        if (existing == null) {
            Probe probe = provider.addProbe(name, declarations);
            provider.enable();
            return probe;
        }
        List<String> before = new ArrayList<>();
        for (int i = 0; i < existing.argTypes().size(); i++) {
            before.add(existing.argTypes().get(i).declaration() + " " + existing.argNames().get(i));
        }
        if (!before.equals(declarations)) {
            throw new IllegalArgumentException("probe " + name + " was added before as (" + String.join(", ", before)
                    + ") and keeps those arguments while this JVM runs: give this one another name");
        }
        return existing;
    }

    private DTraceProvider provider() {
        if (provider == null) {
            provider = DTraceProvider.create(PROVIDER);
        }
        return provider;
    }

    private ResettableClassFileTransformer weave(String className, List<Class<?>> classes, List<Executable> methods,
            int slot, boolean atReturn) {
        Set<String> signatures = methods.stream().map(AddedProbes::signature).collect(Collectors.toSet());
        ElementMatcher.Junction<MethodDescription> probed = new ElementMatcher.Junction.AbstractBase<>() {
            @Override
            public boolean matches(MethodDescription method) {
                return signatures.contains(method.getInternalName() + method.getDescriptor());
            }
        };
        readProbeDispatch(classes);
        Advice.WithCustomMapping advice = Advice.withCustomMapping().bind(ProbeIndex.class, slot);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        ResettableClassFileTransformer transformer = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(RedefinitionStrategy.RETRANSFORMATION)
                // only the probed classes: a scan of every loaded class took up to a second
                .with(new RedefinitionStrategy.DiscoveryStrategy.Explicit(new HashSet<>(classes)))
                .with(RedefinitionStrategy.Listener.ErrorEscalating.FAIL_FAST)
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                            Throwable throwable) {
                        errors.add(throwable);
                    }
                })
                .type(named(className))
                .transform((builder, type, loader, module, domain) -> atReturn
                        ? builder.visit(advice.to(ReturnAdvice.class).on(probed.and(not(isConstructor()))))
                                .visit(advice.to(ConstructorReturnAdvice.class).on(probed.and(isConstructor())))
                        : builder.visit(advice.to(ProbeAdvice.class).on(probed)))
                .installOn(instrumentation);
        if (!errors.isEmpty()) {
            reset(transformer, new HashSet<>(classes));
            throw new IllegalArgumentException(className + " could not be woven: " + errors.get(0));
        }
        return transformer;
    }

    /** Takes the transformer out and retransforms the classes it wove, which restores their code. */
    private void reset(ResettableClassFileTransformer transformer, Set<Class<?>> classes) {
        transformer.reset(instrumentation, RedefinitionStrategy.RETRANSFORMATION,
                new RedefinitionStrategy.DiscoveryStrategy.Explicit(classes));
    }

    /**
     * Code in a named module reads only the modules it declares: woven code there could not call ProbeDispatch, in the
     * system class loader's unnamed module, until the module is made to read it.
     */
    private void readProbeDispatch(List<Class<?>> classes) {
        Module dispatch = ProbeDispatch.class.getModule();
        for (Class<?> type : classes) {
            Module module = type.getModule();
            if (module.isNamed() && !module.canRead(dispatch)) {
                instrumentation.redefineModule(module, Set.of(dispatch), Map.of(), Map.of(), Set.of(), Map.of());
            }
        }
    }

    private static String signature(Executable method) {
        MethodDescription description = method instanceof Method m ? new ForLoadedMethod(m)
                : new ForLoadedConstructor((Constructor<?>) method);
        return description.getInternalName() + description.getDescriptor();
    }
}
