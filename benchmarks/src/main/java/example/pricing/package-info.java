/**
 * The application code that {@code AddedMethodProbeBenchmark} adds probes to, outside this project's packages, which
 * the agent refuses to probe. One class per case, identical but for its name: the agent retransforms whole classes, so
 * a probe added to or removed from one case leaves the others' code alone.
 */
package example.pricing;
