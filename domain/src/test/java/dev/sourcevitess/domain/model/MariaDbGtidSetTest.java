package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.MariaDbGtidSet.Gtid;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MariaDB positions, example by example, as Vitess's {@code MariadbGTIDSet} reads and compares them. */
class MariaDbGtidSetTest {

  private static MariaDbGtidSet p(String text) {
    return MariaDbGtidSet.parse(text);
  }

  @Test
  void parsesOneGtidPerDomain() {
    MariaDbGtidSet x = p("MariaDB/0-100-57");
    assertEquals(List.of(new Gtid(0, 100, 57)), x.gtids());
    assertEquals("MariaDB/0-100-57", x.toPosition());
    assertEquals("0-100-57", x.toString());
    assertEquals(GtidPosition.Flavor.MARIADB, x.flavor());
  }

  @Test
  void domainsAreSortedAndWhiteSpaceIgnoredAsGtidBinlogPosMayBePasted() {
    MariaDbGtidSet x = p(" MariaDB/12-34-5678,\n 11-22-3333 ");
    assertEquals("MariaDB/11-22-3333,12-34-5678", x.toPosition());
    assertEquals(x, p("11-22-3333,12-34-5678"), "the prefix is optional");
    assertEquals(x, p("MariaDB/0011-22-3333,12-34-5678"), "leading zeros read as Vitess's ParseUint reads them");
    assertEquals(new Gtid(12, 34, 5678), x.in(12));
    assertNull(x.in(0));
  }

  @Test
  void theEmptyPositionIsEmpty() {
    for (String empty : List.of("", "MariaDB/", "  ", "MariaDB/\n")) {
      assertTrue(p(empty).isEmpty(), empty);
      assertEquals(MariaDbGtidSet.empty(), p(empty));
    }
    assertEquals("MariaDB/", MariaDbGtidSet.empty().toPosition());
  }

  @Test
  void containmentIsPerDomainBySequenceNumber() {
    assertTrue(p("5-4727-9000").contains(p("5-5555-100")), "the server id does not order");
    assertTrue(p("3-4727-1235").contains(p("3-5555-1235")), "nor breaks a tie");
    assertFalse(p("5-4727-300").contains(p("5-4727-700")));
    assertTrue(p("4-1-123,5-5-24601").contains(p("4-2-122")), "a domain the other lacks is no obstacle");
    assertFalse(p("4-1-123,5-5-24601").contains(p("4-1-122,5-4-24602")), "every domain of the other counts");
    assertFalse(p("4-1-123").contains(p("4-1-122,5-4-1")), "a domain missing here is not reached");
    assertFalse(p("3-4727-1235").contains(p("5-4727-1234")), "domains do not compare with each other");
    assertTrue(p("0-1-1").contains(MariaDbGtidSet.empty()));
    assertTrue(MariaDbGtidSet.empty().contains(MariaDbGtidSet.empty()));
    assertFalse(MariaDbGtidSet.empty().contains(p("0-1-1")));
  }

  @Test
  void unionKeepsTheLaterGtidOfEachDomain() {
    assertEquals(p("3-1-2,4-1-2,5-1-4,6-1-7"), p("3-1-1,4-1-2,5-1-3").union(p("3-1-2,4-1-1,5-1-4,6-1-7")));
    assertEquals(p("0-200-9"), p("0-100-5").union(p("0-200-9")), "the later transaction's server comes along");
    assertEquals(p("0-100-9"), p("0-100-9").union(p("0-200-9")), "on a tie this position's GTID stays");
    assertEquals(p("0-1-5"), p("0-1-5").union(MariaDbGtidSet.empty()));
  }

  @Test
  void equalityIsOfWholeGtidsServerIncluded() {
    assertEquals(p("1-2-3,4-5-6"), p("4-5-6,1-2-3"));
    assertFalse(p("3-5555-1234").equals(p("3-4555-1234")));
    assertEquals(p("4-5-6,1-2-3").hashCode(), p("1-2-3,4-5-6").hashCode());
  }

  @Test
  void extremeNumbersRoundTrip() {
    String max = "4294967295-4294967295-" + Long.MAX_VALUE;
    assertEquals("MariaDB/" + max, p(max).toPosition());
    assertEquals("MariaDB/0-0-0", p("0-0-0").toPosition());
  }

  @Test
  void malformedPositionsAreRefusedWithTheirFault() {
    assertRefused("MariaDB/0-100", "'0-100' is not <domain>-<server>-<sequence>");
    assertRefused("MariaDB/0-100-57-1", "is not <domain>-<server>-<sequence>");
    assertRefused("MariaDB/1x-33-142", "'1x-33-142' is not");
    assertRefused("MariaDB/0-1-+5", "is not <domain>-<server>-<sequence>");
    assertRefused("MariaDB/0--1-5", "is not <domain>-<server>-<sequence>");
    assertRefused("MariaDB/0-1-5,", "'' is not");
    assertRefused("MariaDB/,0-1-5", "'' is not");
    assertRefused("MariaDB/4294967296-1-5", "the domain id 4294967296 is not between 0 and 4294967295");
    assertRefused("MariaDB/0-4294967296-5", "the server id 4294967296");
    assertRefused("MariaDB/0-1-9223372036854775808", "a number has too many digits");
    assertRefused("MariaDB/0-1-5,0-2-9", "domain 0 appears twice (0-1-5 and 0-2-9)");
    assertRefused("MySQL56/0-1-5", "is not a MariaDB GTID position");
    assertRefused("FilePos/mysql-bin.000001:4", "is not a MariaDB GTID position");
  }

  private static void assertRefused(String text, String fault) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p(text), text);
    assertTrue(e.getMessage().contains(fault), e.getMessage());
    assertTrue(e.getMessage().contains(text), "names the position: " + e.getMessage());
  }

  @Test
  void aGtidValidatesItself() {
    assertThrows(IllegalArgumentException.class, () -> new Gtid(-1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Gtid(0, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Gtid(0, 0, -1));
    assertEquals(List.of(new Gtid(1, 0, 0), new Gtid(2, 0, 0)),
        new MariaDbGtidSet(List.of(new Gtid(2, 0, 0), new Gtid(1, 0, 0))).gtids(), "kept in domain order");
  }
}
