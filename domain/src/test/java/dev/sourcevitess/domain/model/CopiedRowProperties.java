package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.sourcevitess.domain.fake.PropertyInputs;
import dev.sourcevitess.domain.fake.TextRow;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A copy outlives its row with the same values, and knows its size without adding it up. */
class CopiedRowProperties {
  @Test
  void aCopyHasTheRowsValuesAndSize() {
    qt().withExamples(1000).withFixedSeed(1).forAll(PropertyInputs.rowValues()).checkAssert(values -> {
      byte[][] array = values.toArray(new byte[0][]);
      RawRow row = TextRow.packedBytes(array);
      CopiedRow copy = CopiedRow.of(row);

      assertTrue(copy.stable());
      assertEquals(row.columnCount(), copy.columnCount());
      for (int i = 0; i < array.length; i++) {
        assertEquals(array[i] == null, copy.isNull(i));
        if (array[i] != null) {
          byte[] value = Arrays.copyOfRange(copy.buffer(i), copy.offset(i), copy.offset(i) + copy.length(i));
          assertArrayEquals(array[i], value);
        }
      }
      // TextRow adds up its columns (RawRow's default): the copy's own answer must be the same
      assertEquals(row.size(), copy.size());
    });
  }
}
