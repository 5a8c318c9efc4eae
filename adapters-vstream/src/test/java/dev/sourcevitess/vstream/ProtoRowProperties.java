package dev.sourcevitess.vstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.vitess.proto.Query;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.WithNull;

/** A {@code query.Row}'s values read in place, and its size known without adding it up. */
class ProtoRowProperties {
  @Property
  void aRowHasItsValuesAndTheirSize(@ForAll @Size(max = 12) List<@WithNull(0.3) byte[]> values) {
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
  }
}
