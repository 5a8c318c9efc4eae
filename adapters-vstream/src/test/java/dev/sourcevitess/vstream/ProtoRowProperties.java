package dev.sourcevitess.vstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import com.google.protobuf.ByteString;
import dev.sourcevitess.domain.fake.PropertyInputs;
import io.vitess.proto.Query;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A {@code query.Row}'s values read in place, and its size known without adding it up. */
class ProtoRowProperties {
  @Test
  void aRowHasItsValuesAndTheirSize() {
    qt().withExamples(1000).withFixedSeed(1).forAll(PropertyInputs.rowValues()).checkAssert(values -> {
      Query.Row.Builder builder = Query.Row.newBuilder();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      long expectedSize = 0;
      for (byte[] value : values) {
        builder.addLengths(value == null ? -1 : value.length);
        if (value != null) {
          all.writeBytes(value);
          expectedSize += value.length;
        }
        expectedSize += 8;
      }
      ProtoRow row = ProtoRow.of(builder.setValues(ByteString.copyFrom(all.toByteArray())).build());

      assertEquals(values.size(), row.columnCount());
      for (int i = 0; i < values.size(); i++) {
        assertEquals(values.get(i) == null, row.isNull(i));
        if (values.get(i) != null) {
          assertArrayEquals(values.get(i), Arrays.copyOfRange(row.buffer(i), row.offset(i), row.offset(i) + row.length(i)));
        }
      }
      assertEquals(expectedSize, row.size());
    });
  }
}
