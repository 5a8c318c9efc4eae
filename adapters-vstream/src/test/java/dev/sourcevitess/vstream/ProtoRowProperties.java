package dev.sourcevitess.vstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.google.protobuf.ByteString;
import dev.sourcevitess.domain.fake.PropertyInputs;
import io.vitess.proto.Query;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** A {@code query.Row}'s values read in place, and its size known without adding it up. */
class ProtoRowProperties {
  @Test
  void aRowHasItsValuesAndTheirSize() {
    // the values may sit after other bytes in the array behind them, as they do in a parsed response
    Gen<Integer> before = integers().between(0, 8);
    qt().withExamples(1000).withFixedSeed(1).forAll(PropertyInputs.rowValues(), before).checkAssert((values, skip) -> {
      Query.Row.Builder builder = Query.Row.newBuilder();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.writeBytes(new byte[skip]);
      long expectedSize = 0;
      for (byte[] value : values) {
        builder.addLengths(value == null ? -1 : value.length);
        if (value != null) {
          all.writeBytes(value);
          expectedSize += value.length;
        }
        expectedSize += 8;
      }
      ProtoRow row = ProtoRow.of(builder.setValues(ByteString.copyFrom(all.toByteArray()).substring(skip)).build());

      assertEquals(values.size(), row.columnCount());
      for (int i = 0; i < values.size(); i++) {
        assertEquals(values.get(i) == null, row.isNull(i));
        if (values.get(i) != null) {
          assertArrayEquals(values.get(i),
              Arrays.copyOfRange(row.buffer(i), row.offset(i), row.offset(i) + row.length(i)));
        }
      }
      assertEquals(expectedSize, row.size());
    });
  }
}
