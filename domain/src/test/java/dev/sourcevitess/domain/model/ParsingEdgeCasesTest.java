package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Edge cases found by review: each failed before its fix. */
class ParsingEdgeCasesTest {
  private static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

  @Test
  void aStreamWithoutNamespaceIsNamedByItsTableAlone() {
    assertEquals("orders", new StreamId("", "orders").toString());
    assertEquals("shop.orders", new StreamId("shop", "orders").toString());
  }

  @Test
  void intervalsReachingLongMaxStillMerge() {
    long max = Long.MAX_VALUE;
    assertEquals(GtidSet.parse(U + ":1-" + max), GtidSet.parse(U + ":1-" + max + ":5-6"));
    assertEquals(GtidSet.parse(U + ":1-" + max), GtidSet.parse(U + ":" + max).union(GtidSet.parse(U + ":1-" + max)));
  }

  @Test
  void uuidsWithoutTheirDashesAreRefusedAsVtgateWouldRefuseThem() {
    assertThrows(IllegalArgumentException.class, () -> GtidSet.parse(U.replace("-", "") + ":1-5"));
    assertThrows(IllegalArgumentException.class, () -> GtidSet.parse("3e11fa4771ca-11e1-9e33c80aa9429562:1-5"));
  }

  @Test
  void enumMembersKeepTheCharactersMysqlEscapes() {
    ColumnType t = ColumnType.parse("enum('a\\nb','c\\rd','e\\0f','g\\\\h')", true);
    assertEquals(List.of("a\nb", "c\rd", "e\0f", "g\\h"), t.members());
  }
}
