package example.pricing;

/** Row 3's {@code PriceCalculator} method, in a class that never gets a probe: the baseline. */
public class NeverProbedPriceCalculator {

    public long priceCents(long quantity) {
        return quantity * 450;
    }
}
