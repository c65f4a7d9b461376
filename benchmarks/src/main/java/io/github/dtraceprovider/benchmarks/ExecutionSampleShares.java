package io.github.dtraceprovider.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * How many of a JFR recording's execution samples are this project's (BENCHMARKS.md row 5, untraced): a sample is
 * this project's when, walking its stack from the innermost frame outwards, the first frame that is not JDK code
 * ({@code java.*, javax.*, jdk.*, sun.*, com.sun.*}) is in a class of {@code io.github.dtraceprovider} outside the
 * demo app's package: what this project's code and the JDK code it calls take. Those whose first such frame is the
 * {@code @Traced} interceptor's {@code invoke} are counted apart as the dispatch, which any Spring interceptor
 * pays. Every {@code jdk.ExecutionSample} of the recording from FROM on counts (milliseconds since the epoch; the
 * recording runs from the JVM's start, since starting one later makes the JIT compile anew), whichever thread it was
 * taken on: the app then serves a saturating load, so nearly all of them are the requests' own.
 *
 * <p>Prints {@code samples N}, {@code project_samples N} (the dispatch included), {@code dispatch_samples N}, then
 * one {@code top N METHOD < CALLER} line for each of the most sampled first frames of this project's samples, with
 * the method that called it: a semaphore read says little without the probe check it belongs to.
 *
 * <p>Usage:
 * {@code java -cp benchmarks.jar io.github.dtraceprovider.benchmarks.ExecutionSampleShares RECORDING FROM}
 */
public final class ExecutionSampleShares {

    private static final List<String> JDK_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");
    private static final String PROJECT = "io.github.dtraceprovider.";
    /** The workload, not the project. */
    private static final String DEMO = "io.github.dtraceprovider.demo.";
    private static final String DISPATCH = "io.github.dtraceprovider.spring.traced.TracedMethodInterceptor.invoke";
    private static final int TOP = 10;

    private ExecutionSampleShares() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ExecutionSampleShares RECORDING FROM_EPOCH_MILLIS");
            System.exit(2);
        }
        Instant from = Instant.ofEpochMilli(Long.parseLong(args[1]));
        long samples = 0;
        long project = 0;
        long dispatch = 0;
        Map<String, Long> firstFrames = new HashMap<>();
        try (RecordingFile recording = new RecordingFile(Path.of(args[0]))) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")
                        || event.getStartTime().isBefore(from)) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = event.getStackTrace() == null ? List.of()
                        : event.getStackTrace().getFrames();
                int first = firstNonJdkFrame(frames);
                String frame = first < 0 ? "" : name(frames.get(first));
                if (frame.startsWith(PROJECT) && !frame.startsWith(DEMO)) {
                    project++;
                    if (frame.equals(DISPATCH)) {
                        dispatch++;
                    }
                    String caller = first + 1 < frames.size() ? name(frames.get(first + 1)) : "?";
                    firstFrames.merge(frame + " < " + caller, 1L, Long::sum);
                }
            }
        }
        System.out.println("samples " + samples);
        System.out.println("project_samples " + project);
        System.out.println("dispatch_samples " + dispatch);
        firstFrames.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(TOP)
                .forEach(entry -> System.out.println("top " + entry.getValue() + " " + entry.getKey()));
    }

    /** The index of the innermost frame outside the JDK; -1 when the (possibly truncated) stack has none. */
    private static int firstNonJdkFrame(List<RecordedFrame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            String type = frames.get(i).getMethod().getType().getName();
            if (JDK_PACKAGES.stream().noneMatch(type::startsWith)) {
                return i;
            }
        }
        return -1;
    }

    private static String name(RecordedFrame frame) {
        RecordedMethod method = frame.getMethod();
        return method.getType().getName() + "." + method.getName();
    }
}
