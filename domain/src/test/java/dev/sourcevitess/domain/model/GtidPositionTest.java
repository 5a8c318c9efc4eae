package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.GtidPosition.Flavor;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One position concept, two flavors: which one a text is, and that they never compare. */
class GtidPositionTest {
  private static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

  @Test
  void thePrefixNamesTheFlavor() {
    assertInstanceOf(GtidSet.class, GtidPosition.parse("MySQL56/" + U + ":1-5"));
    assertInstanceOf(MariaDbGtidSet.class, GtidPosition.parse("MariaDB/0-100-57"));
    assertEquals(GtidSet.empty(), GtidPosition.parse("MySQL56/"));
    assertEquals(MariaDbGtidSet.empty(), GtidPosition.parse(" MariaDB/ "));
    assertEquals(Optional.of(Flavor.MARIADB), Flavor.of("MariaDB/0-1-2"));
    assertEquals(Optional.of(Flavor.MYSQL56), Flavor.of("MySQL56/" + U + ":1"));
    assertEquals(Optional.empty(), Flavor.of("FilePos/mysql-bin.000001:4"));
    assertEquals(Optional.empty(), Flavor.of("0-1-2"));
  }

  @Test
  void aBareSetIsReadByItsShape() {
    assertEquals(GtidSet.parse(U + ":1-5"), GtidPosition.parse(U + ":1-5"));
    assertEquals(MariaDbGtidSet.parse("0-100-57,1-2-3"), GtidPosition.parse("0-100-57, 1-2-3\n"));
  }

  @Test
  void textOfNeitherFlavorIsRefusedNamingBoth() {
    for (String text : new String[] {"nonsense", "", "FilePos/mysql-bin.000001:4", "mysql56/" + U + ":1"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GtidPosition.parse(text));
      assertTrue(e.getMessage().contains("MySQL56") && e.getMessage().contains("MariaDB"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GtidPosition.parse("MariaDB/0-1"));
    assertTrue(e.getMessage().contains("<domain>-<server>-<sequence>"), e.getMessage());
  }

  @Test
  void positionsOfDifferentFlavorsDoNotCompare() {
    GtidPosition mysql = GtidPosition.parse("MySQL56/" + U + ":1-5");
    GtidPosition mariaDb = GtidPosition.parse("MariaDB/0-100-57");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mysql.contains(mariaDb));
    assertEquals("cannot compare the MySQL56 position 'MySQL56/" + U + ":1-5' with the MariaDB position"
        + " 'MariaDB/0-100-57': they come from different kinds of database server", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> mariaDb.contains(mysql));
    assertThrows(IllegalArgumentException.class, () -> mariaDb.contains(GtidSet.empty()), "even an empty one");
    assertFalse(mysql.equals(mariaDb));
  }

  @Test
  void withinAFlavorTheInterfaceComparesAsTheFlavorDoes() {
    GtidPosition wider = GtidPosition.parse("MySQL56/" + U + ":1-9");
    GtidPosition narrower = GtidPosition.parse("MySQL56/" + U + ":3-4");
    assertTrue(wider.contains(narrower));
    assertFalse(narrower.contains(wider));
    assertTrue(GtidPosition.parse("MariaDB/0-1-9").contains(GtidPosition.parse("MariaDB/0-2-8")));
  }
}
