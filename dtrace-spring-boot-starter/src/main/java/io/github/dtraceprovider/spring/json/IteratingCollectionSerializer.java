package io.github.dtraceprovider.spring.json;

import java.util.Collection;
import java.util.Iterator;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.ser.jdk.CollectionSerializer;
import tools.jackson.databind.ser.jdk.StringCollectionSerializer;
import tools.jackson.databind.ser.std.DelegatingSerializer;
import tools.jackson.databind.type.CollectionType;

/**
 * Writes a collection without asking its size, so that a huge one costs no more than the output keeps. Jackson's
 * serializers of collections other than indexed lists call {@code size()} before the first element, only to learn
 * whether there is exactly one (which {@code WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED} writes without brackets), and
 * {@code size()} walks every element of a {@code ConcurrentLinkedQueue}, {@code ConcurrentLinkedDeque} or
 * {@code ConcurrentSkipListSet}. Here at most two steps of an iterator tell: a collection of exactly one element is
 * left to Jackson whole, since its size costs nothing; for any other this serializer writes the brackets, as Jackson
 * would, and Jackson the elements, so the JSON stays Jackson's.
 */
final class IteratingCollectionSerializer extends DelegatingSerializer {

    private final CollectionSerializer elements;

    private IteratingCollectionSerializer(CollectionSerializer elements) {
        super(elements);
        this.elements = elements;
    }

    /** Wraps Jackson's serializers that ask a collection's size; returns any other serializer as it is. */
    static ValueSerializer<?> of(CollectionType type, ValueSerializer<?> serializer) {
        if (serializer instanceof CollectionSerializer collections) {
            return new IteratingCollectionSerializer(collections);
        }
        if (serializer instanceof StringCollectionSerializer) {
            // It writes its elements in a method nothing else can call. Jackson itself turns to a CollectionSerializer
            // of statically typed strings where a property names a content serializer; that one writes the same JSON.
            return new IteratingCollectionSerializer(
                    new CollectionSerializer(type.getContentType(), true, null, null));
        }
        return serializer;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected ValueSerializer<Object> newDelegatingInstance(ValueSerializer<?> delegatee) {
        // Contextualising a CollectionSerializer yields another; should that ever change, Jackson's own one writes
        return delegatee instanceof CollectionSerializer collections ? new IteratingCollectionSerializer(collections)
                : (ValueSerializer<Object>) delegatee;
    }

    @Override
    public void serialize(Object value, JsonGenerator generator, SerializationContext context) {
        Collection<?> collection = (Collection<?>) value;
        if (hasOneElement(collection)) {
            super.serialize(value, generator, context);
            return;
        }
        generator.writeStartArray(collection);
        elements.serializeContents(collection, generator, context);
        generator.writeEndArray();
    }

    private static boolean hasOneElement(Collection<?> collection) {
        Iterator<?> iterator = collection.iterator();
        if (!iterator.hasNext()) {
            return false;
        }
        iterator.next();
        return !iterator.hasNext();
    }
}
