package io.github.dtraceprovider.benchmarks;

import io.github.dtraceprovider.spring.Traced;

/**
 * The bean whose calls {@link TracedMethodBenchmark} measures. Its method does almost nothing, so that what is
 * measured is the proxy and the interceptor around it: the worst case for their relative cost.
 */
@Traced
public class PriceCalculator {

    public long priceCents(long quantity) {
        return quantity * 450;
    }
}
