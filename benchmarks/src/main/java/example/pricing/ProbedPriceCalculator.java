package example.pricing;

/** Row 3's {@code PriceCalculator} method, in a class that gets a probe nobody traces. */
public class ProbedPriceCalculator {

    public long priceCents(long quantity) {
        return quantity * 450;
    }
}
