package io.github.dtraceprovider.spring.json;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonFormat;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Collections whose {@code size()} walks every element are written without asking it, and only as far as the output
 * reaches: a huge one costs no more than the 4095 characters kept. Counted, not timed: {@code size()} fails the test,
 * and the iterators count the elements they hand out. Every other collection is written as the application's mapper
 * writes it.
 */
class LazilySizedCollectionsTest {

    /** Six digits and a comma: 4095 characters hold 585 such elements. */
    private static final int FIRST = 100_000;
    private static final int COUNT = 200_000;
    private static final int FITTING = JacksonJsonEncoder.MAX_CHARS / 7;

    private final JsonMapper applicationMapper = JsonMapper.builder().build();
    private final JsonMapper unwrappingMapper = JsonMapper.builder()
            .enable(SerializationFeature.WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED)
            .build();

    @Test
    void concurrentCollectionsAreWrittenWithoutTheirSizeAndOnlyAsFarAsTheOutputReaches() {
        for (JsonMapper mapper : List.of(applicationMapper, unwrappingMapper)) {
            JacksonJsonEncoder encoder = new JacksonJsonEncoder(mapper);
            String expected = mapper.writeValueAsString(numbers()).substring(0, JacksonJsonEncoder.MAX_CHARS);
            for (Counted<Integer> collection : List.<Counted<Integer>>of(new Queue<>(), new Deque<>(),
                    new SkipListSet<>())) {
                collection.addAll(numbers());
                assertThat(encoder.encode(collection)).as(collection.getClass().getSimpleName()).isEqualTo(expected);
                assertThat(collection.handedOut()).as(collection.getClass().getSimpleName())
                        .isBetween(FITTING, FITTING + 3);
            }
        }
    }

    @Test
    void aCollectionOfStringsInAPropertyIsWrittenWithoutItsSize() {
        Queue<String> names = new Queue<>();
        numbers().forEach(number -> names.add(number.toString()));
        String written = new JacksonJsonEncoder(applicationMapper).encode(new Names(names));
        assertThat(written).hasSize(JacksonJsonEncoder.MAX_CHARS).startsWith("{\"names\":[\"100000\",\"100001\",");
        assertThat(names.handedOut()).isLessThan(JacksonJsonEncoder.MAX_CHARS / 9 + 3);
    }

    @Test
    void anIterableOverAStreamIsIteratedOnceAndOnlyAsFarAsTheOutputReaches() {
        AtomicInteger pulled = new AtomicInteger();
        Stream<Integer> endless = Stream.iterate(FIRST, number -> number + 1).peek(number -> pulled.incrementAndGet());
        Iterable<Integer> once = endless::iterator;
        assertThat(new JacksonJsonEncoder(applicationMapper).encode(once)).hasSize(JacksonJsonEncoder.MAX_CHARS)
                .startsWith("[100000,100001,");
        assertThat(pulled.get()).isBetween(FITTING, FITTING + 3);
    }

    @Test
    void collectionsAreWrittenAsTheApplicationsMapperWritesThem() {
        Set<String> withNull = new LinkedHashSet<>(List.of("a", "b"));
        withNull.add(null);
        List<Object> values = List.of(new HashSet<>(List.of(1, 2, 3)), new LinkedList<>(List.of("x")),
                new TreeSet<>(List.of("b", "a")), new LinkedList<>(), withNull, Set.of(7), EnumSet.of(Shape.ROUND),
                EnumSet.noneOf(Shape.class), new ConcurrentLinkedQueue<>(List.of(1, 2)),
                new ConcurrentLinkedDeque<>(List.of("only")),
                new Names(new LinkedList<>(List.of("one"))), new Names(withNull), new Names(new LinkedList<>()),
                new UnwrappedNames(new LinkedList<>(List.of("one"))), new UnwrappedNames(withNull),
                List.of(new LinkedHashSet<>(List.of(List.of(1), List.of(2)))));
        for (JsonMapper mapper : List.of(applicationMapper, unwrappingMapper)) {
            JacksonJsonEncoder encoder = new JacksonJsonEncoder(mapper);
            for (Object value : values) {
                assertThat(encoder.encode(value)).as("%s", value).isEqualTo(mapper.writeValueAsString(value));
            }
        }
    }

    private static List<Integer> numbers() {
        return IntStream.range(FIRST, FIRST + COUNT).boxed().toList();
    }

    enum Shape {
        ROUND, SQUARE
    }

    record Names(Collection<String> names) {
    }

    record UnwrappedNames(@JsonFormat(with = JsonFormat.Feature.WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED)
            Collection<String> names) {
    }

    /** A collection whose size() fails the test and whose iterators count what they hand out. */
    private interface Counted<E> extends Collection<E> {

        int handedOut();
    }

    private static final class Queue<E> extends ConcurrentLinkedQueue<E> implements Counted<E> {

        private final AtomicInteger handedOut = new AtomicInteger();

        @Override
        public int size() {
            throw new AssertionError("size() walks the whole queue");
        }

        @Override
        public Iterator<E> iterator() {
            return counting(super.iterator(), handedOut);
        }

        @Override
        public int handedOut() {
            return handedOut.get();
        }
    }

    private static final class Deque<E> extends ConcurrentLinkedDeque<E> implements Counted<E> {

        private final AtomicInteger handedOut = new AtomicInteger();

        @Override
        public int size() {
            throw new AssertionError("size() walks the whole deque");
        }

        @Override
        public Iterator<E> iterator() {
            return counting(super.iterator(), handedOut);
        }

        @Override
        public int handedOut() {
            return handedOut.get();
        }
    }

    private static final class SkipListSet<E> extends ConcurrentSkipListSet<E> implements Counted<E> {

        private final AtomicInteger handedOut = new AtomicInteger();

        @Override
        public int size() {
            throw new AssertionError("size() walks the whole set");
        }

        @Override
        public Iterator<E> iterator() {
            return counting(super.iterator(), handedOut);
        }

        @Override
        public int handedOut() {
            return handedOut.get();
        }
    }

    private static <E> Iterator<E> counting(Iterator<E> iterator, AtomicInteger handedOut) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return iterator.hasNext();
            }

            @Override
            public E next() {
                handedOut.incrementAndGet();
                return iterator.next();
            }
        };
    }
}
