package example.pricing;

/** Row 3's {@code PriceCalculator} method, in a class that gets a probe, then loses it. */
public class ProbeRemovedPriceCalculator {

    public long priceCents(long quantity) {
        return quantity * 450;
    }
}
