package io.github.dtraceprovider.test;

import java.lang.reflect.Method;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import io.github.dtraceprovider.core.DTraceProvider;

/**
 * The JUnit extension behind {@link RecordProbes}: one {@link ProbeRecorder} per test, over the
 * {@code DTraceProvider} beans of the Spring test context, kept in the test's extension store.
 */
public final class ProbeRecorderExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ProbeRecorderExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        ApplicationContext application = SpringExtension.getApplicationContext(context);
        Map<String, DTraceProvider> providers = application.getBeansOfType(DTraceProvider.class);
        if (providers.isEmpty()) {
            throw new IllegalStateException("@RecordProbes found no DTraceProvider bean in the application context of "
                    + context.getRequiredTestClass().getName() + "; add dtrace-spring-boot-starter or declare one");
        }
        context.getStore(NAMESPACE).put(ProbeRecorder.class, ProbeRecorder.attach(providers.values()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ProbeRecorder recorder = context.getStore(NAMESPACE).remove(ProbeRecorder.class, ProbeRecorder.class);
        if (recorder != null) {
            recorder.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ProbeRecorder.class
                && parameter.getDeclaringExecutable() instanceof Method;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ProbeRecorder recorder = context.getStore(NAMESPACE).get(ProbeRecorder.class, ProbeRecorder.class);
        if (recorder == null) {
            throw new ParameterResolutionException("A ProbeRecorder parameter is available to test methods of a class"
                    + " annotated @RecordProbes, not to " + parameter.getDeclaringExecutable());
        }
        return recorder;
    }
}
