package io.github.dtraceprovider.spring.observation;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.spring.StarterAutoConfigurations;
import io.micrometer.observation.Observation;
import io.github.dtraceprovider.testing.ProbeStates;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Observation probes: on by default where there is an ObservationRegistry, whose observations then reach the
 * handler; absent without one; switched off by their property or {@code dtrace.enabled}; their names reserved either
 * way; backing off when the application defines the bean.
 */
class DTraceObservationAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(StarterAutoConfigurations.ALL)
            .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class));

    @Test
    void observationsOfTheRegistryReachTheHandler() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ObservationProbes.class).hasSingleBean(ObservationProbeHandler.class);
            DTraceProvider provider = context.getBean(DTraceProvider.class);
            ObservationRegistry registry = context.getBean(ObservationRegistry.class);
            Observation untraced = Observation.start("untraced", registry);
            assertThat(untraced.getContext().<InFlightObservation>get(InFlightObservation.class)).isNull();
            Probe stop = provider.probe("observation__stop");
            ProbeStates.pretendTraced(stop);
            try {
                Observation traced = Observation.start("traced", registry);
                assertThat(traced.getContext().<InFlightObservation>get(InFlightObservation.class)).isNotNull();
                traced.stop();
            } finally {
                ProbeStates.pretendUntraced(stop);
            }
            untraced.stop();
        });
    }

    @Test
    void noRegistryNoObservationProbes() {
        new ApplicationContextRunner().withConfiguration(StarterAutoConfigurations.ALL).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(ObservationProbeHandler.class);
            assertThat(context.getBean(DTraceProvider.class).findProbe(ObservationProbes.START)).isEmpty();
        });
    }

    @Test
    void observationProbesCanBeSwitchedOff() {
        for (String off : new String[] { "dtrace.observations.enabled=false", "dtrace.enabled=false" }) {
            runner.withPropertyValues(off).run(context -> {
                assertThat(context).doesNotHaveBean(ObservationProbes.class)
                        .doesNotHaveBean(ObservationProbeHandler.class);
                assertThat(context.getBean(DTraceProvider.class).findProbe(ObservationProbes.START)).isEmpty();
            });
        }
    }

    @Test
    void probeNamesAreTakenEvenWhenSwitchedOff() {
        runner.withPropertyValues("dtrace.observations.enabled=false", "dtrace.probes.observation-start=int")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("the starter defines a probe named \"observation-start\" itself"));
    }

    @Test
    void backsOffWhenTheApplicationDefinesTheBean() {
        runner.withUserConfiguration(OwnHandler.class).run(context ->
                assertThat(context).hasSingleBean(ObservationProbeHandler.class).hasBean("myObservationHandler"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnHandler {

        @Bean
        ObservationProbeHandler myObservationHandler(ObservationProbes probes) {
            return new ObservationProbeHandler(probes);
        }
    }
}
