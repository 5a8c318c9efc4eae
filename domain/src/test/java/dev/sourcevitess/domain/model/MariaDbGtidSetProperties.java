package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.sourcevitess.domain.model.MariaDbGtidSet.Gtid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of {@link MariaDbGtidSet}, checked against a model: a position stands for the
 * transactions {@code (domain, 1..sequence)} of each of its domains, so containment is the
 * model's inclusion and union the model's union. Domains, servers and sequences come from small
 * pools, where shared domains, ties and containment happen often, with the extreme values mixed in.
 */
class MariaDbGtidSetProperties {
  private static final int TRIES = 1000;
  private static final long SEED = 20261130L;

  private static QuickTheory qtFixed() {
    return qt().withExamples(TRIES).withFixedSeed(SEED);
  }

  static Gen<Long> domains() {
    return longs().between(0, 3).mix(Generate.constant(Gtid.MAX_ID), 5);
  }

  static Gen<Long> servers() {
    return Generate.pick(List.of(1L, 2L, 100L, Gtid.MAX_ID));
  }

  static Gen<Long> sequences() {
    return longs().between(0, 8).mix(Generate.pick(List.of(Long.MAX_VALUE - 1, Long.MAX_VALUE)), 5);
  }

  static Gen<Gtid> gtids() {
    return domains().zip(servers(), sequences(), Gtid::new);
  }

  /** Up to five GTIDs, the first of each domain kept: a position holds one per domain. */
  static Gen<MariaDbGtidSet> sets() {
    return lists().of(gtids()).ofSizeBetween(0, 5).map(list -> {
      Map<Long, Gtid> byDomain = new TreeMap<>();
      list.forEach(g -> byDomain.putIfAbsent(g.domain(), g));
      return new MariaDbGtidSet(new ArrayList<>(byDomain.values()));
    });
  }

  /** The transactions a position stands for: per domain, every sequence number up to its own. */
  static Map<Long, Long> model(MariaDbGtidSet x) {
    Map<Long, Long> upTo = new TreeMap<>();
    x.gtids().forEach(g -> upTo.put(g.domain(), g.sequence()));
    return upTo;
  }

  /** Inclusion of the models: {@code (d, 1..a)} includes {@code (d, 1..b)} when {@code a >= b}. */
  static boolean modelContains(Map<Long, Long> a, Map<Long, Long> b) {
    return b.entrySet().stream().allMatch(e -> a.containsKey(e.getKey()) && a.get(e.getKey()) >= e.getValue());
  }

  static Map<Long, Long> modelUnion(Map<Long, Long> a, Map<Long, Long> b) {
    Map<Long, Long> u = new TreeMap<>(a);
    b.forEach((d, s) -> u.merge(d, s, Math::max));
    return u;
  }

  /**
   * A spelling of {@code x} as a person or a server may write it: domains in any order, with or
   * without the prefix, leading zeros, white space and newlines around the parts.
   */
  static String spell(MariaDbGtidSet x, long seed) {
    Random r = new Random(seed);
    List<Gtid> parts = new ArrayList<>(x.gtids());
    Collections.shuffle(parts, r);
    StringBuilder s = new StringBuilder(List.of("", " ", "\n").get(r.nextInt(3)));
    if (r.nextBoolean()) {
      s.append("MariaDB/");
    }
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        s.append(',').append(List.of("", "", " ", "\r\n", "\t").get(r.nextInt(5)));
      }
      Gtid g = parts.get(i);
      s.append(zeros(r)).append(g.domain()).append('-').append(zeros(r)).append(g.server()).append('-')
          .append(zeros(r)).append(g.sequence());
    }
    return s.append(r.nextInt(4) == 0 ? "\n" : "").toString();
  }

  private static String zeros(Random r) {
    return r.nextInt(5) == 0 ? "0".repeat(1 + r.nextInt(3)) : "";
  }

  // ------------------------------------------------------------------ parse and format

  /** A position counts each domain's transactions by its sequence; the distance to a later one is the difference. */
  @Test
  void transactionsAreCountedPerDomain() {
    qt().withExamples(500).withFixedSeed(1).forAll(sets(), sets()).checkAssert((a, b) -> {
      assertEquals(a.gtids().stream().mapToLong(MariaDbGtidSet.Gtid::sequence).sum(), a.transactionCount());
      MariaDbGtidSet later = a.union(b);
      assertEquals(java.util.Optional.of(later.transactionCount() - a.transactionCount()), later.transactionsAfter(a));
      if (!a.contains(later)) {
        assertEquals(java.util.Optional.empty(), a.transactionsAfter(later));
      }
    });
  }

  @Test
  void parseOfFormatIsTheSameSet() {
    qtFixed().forAll(sets()).checkAssert(x -> {
      assertEquals(x, MariaDbGtidSet.parse(x.toPosition()));
      assertEquals(x, MariaDbGtidSet.parse(x.toString()));
      assertEquals(x, GtidPosition.parse(x.toPosition()), "the flavor is read from the prefix");
      assertEquals("MariaDB/" + x, x.toPosition());
    });
  }

  @Test
  void everySpellingParsesToTheSameSetAndFormatsCanonically() {
    qtFixed().forAll(sets(), longs().all()).checkAssert((x, seed) -> {
      String spelled = spell(x, seed);
      MariaDbGtidSet parsed = MariaDbGtidSet.parse(spelled);
      assertEquals(x, parsed, spelled);
      assertEquals(x.toString(), parsed.toString(), spelled);
      if (!x.isEmpty()) {
        assertEquals(x, GtidPosition.parse(spelled), "a bare set is read as MariaDB by its shape: " + spelled);
      }
    });
  }

  @Test
  void theCanonicalSpellingListsDomainsInOrderOncePerDomain() {
    qtFixed().forAll(sets()).checkAssert(x -> {
      List<Long> domains = x.gtids().stream().map(Gtid::domain).toList();
      assertEquals(new ArrayList<>(new TreeSet<>(domains)), domains);
      assertEquals(x.gtids().size(), x.toString().isEmpty() ? 0 : x.toString().split(",").length);
    });
  }

  // ------------------------------------------------------------------ containment, a partial order

  @Test
  void containmentIsTheModelsInclusion() {
    AtomicInteger held = new AtomicInteger();
    qtFixed().forAll(sets(), sets()).checkAssert((x, y) -> {
      boolean contains = x.contains(y);
      assertEquals(modelContains(model(x), model(y)), contains);
      if (contains) {
        held.incrementAndGet();
      }
    });
    assertTrue(held.get() > TRIES / 10 && held.get() < TRIES * 9 / 10, "both answers are tried: " + held);
  }

  @Test
  void containmentIsReflexive() {
    qtFixed().forAll(sets()).check(x -> x.contains(x));
  }

  /**
   * Antisymmetric on what positions stand for: two positions that contain each other are at the
   * same sequence in the same domains (their last GTIDs may name different servers: a server id
   * orders nothing, exactly as in Vitess).
   */
  @Test
  void containmentIsAntisymmetricOnTheTransactions() {
    AtomicInteger mutual = new AtomicInteger();
    qtFixed().forAll(sets(), servers()).checkAssert((x, server) -> {
      MariaDbGtidSet y = new MariaDbGtidSet(x.gtids().stream()
          .map(g -> new Gtid(g.domain(), server, g.sequence())).toList());
      assertTrue(x.contains(y) && y.contains(x), "the same sequences, another server");
    });
    qtFixed().forAll(sets(), sets()).checkAssert((x, y) -> {
      if (x.contains(y) && y.contains(x)) {
        mutual.incrementAndGet();
        assertEquals(model(x), model(y));
      }
    });
    assertTrue(mutual.get() > TRIES / 50, "mutual containment happened " + mutual + " times");
  }

  /** Chains are drawn half of the time by raising a set twice, so that the premise holds often. */
  @Test
  void containmentIsTransitive() {
    AtomicInteger chained = new AtomicInteger();
    qtFixed().forAll(sets(), sets(), sets(), booleans().all()).checkAssert((a, b, c, raise) -> {
      MariaDbGtidSet z = c;
      MariaDbGtidSet y = raise ? b.union(z) : b;
      MariaDbGtidSet x = raise ? a.union(y) : a;
      if (x.contains(y) && y.contains(z)) {
        chained.incrementAndGet();
        assertTrue(x.contains(z), () -> x + " contains " + z);
      }
    });
    assertTrue(chained.get() > TRIES / 5, "the premise held " + chained + " times");
  }

  // ------------------------------------------------------------------ union, the least upper bound

  @Test
  void unionIsTheModelsUnion() {
    qtFixed().forAll(sets(), sets()).checkAssert((x, y) ->
        assertEquals(modelUnion(model(x), model(y)), model(x.union(y))));
  }

  @Test
  void unionIsAnUpperBound() {
    qtFixed().forAll(sets(), sets()).checkAssert((x, y) -> {
      MariaDbGtidSet u = x.union(y);
      assertTrue(u.contains(x), () -> u + " contains " + x);
      assertTrue(u.contains(y), () -> u + " contains " + y);
    });
  }

  /** Every upper bound of both contains their union; bounds are made often by raising a union. */
  @Test
  void unionIsTheLeastUpperBound() {
    AtomicInteger bounds = new AtomicInteger();
    Gen<MariaDbGtidSet> candidates = sets().mix(
        sets().zip(sets(), sets(), (x, y, extra) -> x.union(y).union(extra)), 50);
    qtFixed().forAll(sets(), sets(), candidates).checkAssert((x, y, z) -> {
      if (z.contains(x) && z.contains(y)) {
        bounds.incrementAndGet();
        assertTrue(z.contains(x.union(y)), () -> z + " bounds " + x + " and " + y);
      }
    });
    assertTrue(bounds.get() > TRIES / 10, "an upper bound was drawn " + bounds + " times");
  }

  @Test
  void unionIsIdempotentAndHasTheEmptySetAsIdentity() {
    qtFixed().forAll(sets()).checkAssert(x -> {
      assertEquals(x, x.union(x));
      assertEquals(x, x.union(MariaDbGtidSet.empty()));
      assertEquals(x, MariaDbGtidSet.empty().union(x));
      assertTrue(x.contains(MariaDbGtidSet.empty()));
    });
  }

  @Test
  void unionIsCommutativeAndAssociativeUpToTheServerOfATie() {
    qtFixed().forAll(sets(), sets(), sets()).checkAssert((x, y, z) -> {
      assertEquals(model(x.union(y)), model(y.union(x)));
      assertEquals(x.union(y).union(z), x.union(y.union(z)));
    });
  }

  // ------------------------------------------------------------------ flavors

  @Test
  void aMariaDbPositionNeverComparesWithAMysqlOne() {
    GtidSet mysql = GtidSet.parse("MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
    qtFixed().forAll(sets()).checkAssert(x -> {
      assertThrows(IllegalArgumentException.class, () -> x.contains(mysql));
      assertThrows(IllegalArgumentException.class, () -> mysql.contains((GtidPosition) x));
      assertFalse(x.equals(mysql));
    });
  }
}
