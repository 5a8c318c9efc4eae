package dev.sourcevitess.domain.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A MySQL GTID set such as {@code MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7,
 * 4e11fa47-71ca-11e1-9e33-c80aa9429562:1-9}: for each server UUID, the transactions executed.
 * Positions are compared as sets, never as strings: the same set has many spellings.
 */
public final class GtidSet implements GtidPosition {
  public static final String FLAVOR = Flavor.MYSQL56.prefix();

  /** Transactions {@code start} to {@code end}, both included. */
  public record Interval(long start, long end) {
    public Interval {
      if (start < 1 || end < start) {
        throw new IllegalArgumentException("bad GTID interval " + start + "-" + end);
      }
    }
  }

  private static final GtidSet EMPTY = new GtidSet(Map.of());
  // compiled once: positions are parsed at every VGTID of a stream
  private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");
  // the dashed form only: VTGate (Vitess's ParseSID) rejects any other spelling
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final Map<String, List<Interval>> byUuid;

  private GtidSet(Map<String, List<Interval>> byUuid) {
    this.byUuid = byUuid;
  }

  public static GtidSet empty() {
    return EMPTY;
  }

  /**
   * Parses a position with or without the {@code MySQL56/} prefix; white space (as
   * {@code @@gtid_executed} prints it) is ignored.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static GtidSet parse(String position) {
    String text = WHITE_SPACE.matcher(position).replaceAll("");
    if (text.startsWith(FLAVOR)) {
      text = text.substring(FLAVOR.length());
    } else if (text.contains("/")) {
      throw new IllegalArgumentException("position '" + position
          + "' is not a MySQL56 GTID set (expected MySQL56/<uuid>:<from>-<to>,...)");
    }
    Map<String, List<Interval>> sets = new TreeMap<>();
    if (text.isEmpty()) {
      return EMPTY;
    }
    for (String part : text.split(",")) {
      String[] pieces = part.split(":");
      if (pieces.length < 2 || !isUuid(pieces[0])) {
        throw new IllegalArgumentException("position '" + position + "': '" + part
            + "' is not <uuid>:<interval>[:<interval>...]");
      }
      List<Interval> intervals = sets.computeIfAbsent(pieces[0].toLowerCase(Locale.ROOT), k -> new ArrayList<>());
      for (int i = 1; i < pieces.length; i++) {
        intervals.add(interval(pieces[i], position));
      }
    }
    return normalized(sets);
  }

  private static Interval interval(String text, String position) {
    try {
      int dash = text.indexOf('-');
      if (dash < 0) {
        long n = Long.parseLong(text);
        return new Interval(n, n);
      }
      return new Interval(Long.parseLong(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("position '" + position + "': '" + text
          + "' is not an interval such as 7 or 1-29", e);
    }
  }

  private static boolean isUuid(String s) {
    return UUID.matcher(s).matches();
  }

  /** Sorts and merges each UUID's intervals, adjacent ones included (1-5 and 6-9 are 1-9). */
  private static GtidSet normalized(Map<String, List<Interval>> sets) {
    Map<String, List<Interval>> out = new TreeMap<>();
    sets.forEach((uuid, intervals) -> {
      List<Interval> sorted = new ArrayList<>(intervals);
      sorted.sort((a, b) -> Long.compare(a.start(), b.start()));
      List<Interval> merged = new ArrayList<>();
      for (Interval next : sorted) {
        Interval last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
        // not last.end() + 1, which overflows at Long.MAX_VALUE
        if (last != null && next.start() - 1 <= last.end()) {
          merged.set(merged.size() - 1, new Interval(last.start(), Math.max(last.end(), next.end())));
        } else {
          merged.add(next);
        }
      }
      if (!merged.isEmpty()) {
        out.put(uuid, List.copyOf(merged));
      }
    });
    return out.isEmpty() ? EMPTY : new GtidSet(Collections.unmodifiableMap(out));
  }

  @Override
  public Flavor flavor() {
    return Flavor.MYSQL56;
  }

  @Override
  public boolean isEmpty() {
    return byUuid.isEmpty();
  }

  @Override
  public boolean contains(GtidPosition other) {
    if (!(other instanceof GtidSet theirs)) {
      throw Flavor.mismatch(this, other);
    }
    return contains(theirs);
  }

  /** True when every transaction of {@code other} is in this set. */
  public boolean contains(GtidSet other) {
    for (var entry : other.byUuid.entrySet()) {
      List<Interval> mine = byUuid.get(entry.getKey());
      if (mine == null) {
        return false;
      }
      for (Interval wanted : entry.getValue()) {
        if (mine.stream().noneMatch(have -> have.start() <= wanted.start() && have.end() >= wanted.end())) {
          return false;
        }
      }
    }
    return true;
  }

  /** The transactions in either set. */
  public GtidSet union(GtidSet other) {
    Map<String, List<Interval>> all = new TreeMap<>();
    for (GtidSet set : List.of(this, other)) {
      set.byUuid.forEach((uuid, intervals) -> all.computeIfAbsent(uuid, k -> new ArrayList<>()).addAll(intervals));
    }
    return normalized(all);
  }

  @Override
  public long transactionCount() {
    long count = 0;
    for (List<Interval> intervals : byUuid.values()) {
      for (Interval interval : intervals) {
        count += interval.end() - interval.start() + 1;
      }
    }
    return count;
  }

  public Map<String, List<Interval>> intervals() {
    return byUuid;
  }

  /** The position with its {@code MySQL56/} prefix, as VTGate takes it. */
  @Override
  public String toPosition() {
    return FLAVOR + this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GtidSet g && byUuid.equals(g.byUuid);
  }

  @Override
  public int hashCode() {
    return byUuid.hashCode();
  }

  /** The canonical spelling, without the prefix: UUIDs sorted, intervals merged. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    byUuid.forEach((uuid, intervals) -> {
      if (s.length() > 0) {
        s.append(',');
      }
      s.append(uuid);
      for (Interval i : intervals) {
        s.append(':').append(i.start());
        if (i.end() != i.start()) {
          s.append('-').append(i.end());
        }
      }
    });
    return s.toString();
  }
}
