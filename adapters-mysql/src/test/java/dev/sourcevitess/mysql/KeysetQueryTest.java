package dev.sourcevitess.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ColumnType;
import dev.sourcevitess.domain.model.Table;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysetQueryTest {
  private static Column column(String name, String type) {
    return new Column(name, ColumnType.parse(type, true), false);
  }

  @Test
  void compositeKeysExpandIntoRangeFriendlyTerms() {
    Table t = new Table("or`der", List.of(column("v", "text"), column("a", "int"), column("b`x", "varchar(5)"),
        column("c", "datetime")), List.of("a", "b`x", "c"), 0, 0);
    KeysetQuery q = new KeysetQuery(t, 500);
    String select = "SELECT `v`, `a`, `b``x`, `c` FROM `or``der`";
    assertEquals(select, q.everything());
    assertEquals(select + " ORDER BY `a`, `b``x`, `c` LIMIT 500", q.firstPage());
    assertEquals(select + " WHERE (`a` > ?) OR (`a` = ? AND `b``x` > ?) OR (`a` = ? AND `b``x` = ? AND `c` > ?)"
        + " ORDER BY `a`, `b``x`, `c` LIMIT 500", q.nextPage());
  }

  @Test
  void keylessTablesOnlyHaveTheFullSelect() {
    KeysetQuery q = new KeysetQuery(new Table("t", List.of(column("a", "int")), List.of(), 0, 0), 10);
    assertEquals("SELECT `a` FROM `t`", q.everything());
    assertNull(q.firstPage());
    assertNull(q.nextPage());
  }
}
