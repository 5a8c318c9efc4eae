package dev.sourcevitess.domain.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A MariaDB position such as {@code MariaDB/0-100-57,1-200-9}: for each replication domain, the
 * last transaction executed in it ({@code domain-server-sequence}), as
 * {@code @@gtid_binlog_pos} prints it and Vitess's {@code MariadbGTIDSet} holds it. Within a
 * domain, sequence numbers order the transactions; the server id only says who wrote the last
 * one, so it orders nothing. One position contains another when it is as far in every domain of
 * the other.
 *
 * @param gtids one per domain, in domain order
 */
public record MariaDbGtidSet(List<Gtid> gtids) implements GtidPosition {
  private static final MariaDbGtidSet EMPTY = new MariaDbGtidSet(List.of());
  private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");
  private static final Pattern GTID = Pattern.compile("(\\d+)-(\\d+)-(\\d+)");
  private static final Pattern BARE = Pattern.compile("[\\d\\s,-]*\\d[\\d\\s,-]*");

  /**
   * One MariaDB GTID: transaction {@code sequence} of {@code domain}, written by {@code server}.
   * Domain and server ids are 32-bit unsigned numbers, sequences 64-bit ones (here up to
   * {@link Long#MAX_VALUE}).
   */
  public record Gtid(long domain, long server, long sequence) {
    static final long MAX_ID = 0xFFFF_FFFFL;

    public Gtid {
      if (domain < 0 || domain > MAX_ID) {
        throw new IllegalArgumentException("the domain id " + domain + " is not between 0 and " + MAX_ID);
      }
      if (server < 0 || server > MAX_ID) {
        throw new IllegalArgumentException("the server id " + server + " is not between 0 and " + MAX_ID);
      }
      if (sequence < 0) {
        throw new IllegalArgumentException("the sequence number " + sequence + " is negative");
      }
    }

    @Override
    public String toString() {
      return domain + "-" + server + "-" + sequence;
    }
  }

  public MariaDbGtidSet {
    Map<Long, Gtid> byDomain = new TreeMap<>();
    for (Gtid gtid : gtids) {
      Gtid earlier = byDomain.put(gtid.domain(), gtid);
      if (earlier != null) {
        // @@gtid_binlog_state lists a GTID per domain and server; a position has one per domain
        throw new IllegalArgumentException("domain " + gtid.domain() + " appears twice (" + earlier + " and "
            + gtid + "); a position holds one GTID per domain, as @@gtid_binlog_pos prints it");
      }
    }
    gtids = List.copyOf(byDomain.values());
  }

  public static MariaDbGtidSet empty() {
    return EMPTY;
  }

  /**
   * Parses a position with or without the {@code MariaDB/} prefix; white space is ignored and
   * domains may come in any order.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static MariaDbGtidSet parse(String position) {
    String text = WHITE_SPACE.matcher(position).replaceAll("");
    String prefix = Flavor.MARIADB.prefix();
    if (text.startsWith(prefix)) {
      text = text.substring(prefix.length());
    } else if (text.contains("/")) {
      throw new IllegalArgumentException("position '" + position
          + "' is not a MariaDB GTID position (expected MariaDB/<domain>-<server>-<sequence>,...)");
    }
    if (text.isEmpty()) {
      return EMPTY;
    }
    List<Gtid> gtids = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      gtids.add(gtid(part, position));
    }
    try {
      return new MariaDbGtidSet(gtids);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("position '" + position + "': " + e.getMessage(), e);
    }
  }

  private static Gtid gtid(String part, String position) {
    Matcher m = GTID.matcher(part);
    if (!m.matches()) {
      throw new IllegalArgumentException("position '" + position + "': '" + part
          + "' is not <domain>-<server>-<sequence> such as 0-100-57");
    }
    try {
      return new Gtid(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
    } catch (IllegalArgumentException e) {
      // also a number too long for a long, which NumberFormatException reports
      throw new IllegalArgumentException("position '" + position + "': '" + part + "' is out of range: "
          + (e instanceof NumberFormatException ? "a number has too many digits" : e.getMessage()), e);
    }
  }

  /** Whether bare text (no prefix) can only be meant as a MariaDB set. */
  static boolean looksBare(String text) {
    return BARE.matcher(text).matches();
  }

  @Override
  public Flavor flavor() {
    return Flavor.MARIADB;
  }

  @Override
  public boolean isEmpty() {
    return gtids.isEmpty();
  }

  /** The GTID of {@code domain}, or null when the position has none there. */
  public Gtid in(long domain) {
    for (Gtid gtid : gtids) {
      if (gtid.domain() == domain) {
        return gtid;
      }
    }
    return null;
  }

  /** True when, in every domain of {@code other}, this position is at the same sequence or later. */
  @Override
  public boolean contains(GtidPosition other) {
    if (!(other instanceof MariaDbGtidSet theirs)) {
      throw Flavor.mismatch(this, other);
    }
    for (Gtid wanted : theirs.gtids) {
      Gtid mine = in(wanted.domain());
      if (mine == null || mine.sequence() < wanted.sequence()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The later GTID of each domain. On a tie the GTID of this position stays, as in Vitess: the
   * two name the same transaction of the domain.
   */
  public MariaDbGtidSet union(MariaDbGtidSet other) {
    Map<Long, Gtid> byDomain = new TreeMap<>();
    gtids.forEach(g -> byDomain.put(g.domain(), g));
    other.gtids.forEach(g -> byDomain.merge(g.domain(), g, (mine, theirs) ->
        theirs.sequence() > mine.sequence() ? theirs : mine));
    return new MariaDbGtidSet(List.copyOf(byDomain.values()));
  }

  @Override
  public String toPosition() {
    return Flavor.MARIADB.prefix() + this;
  }

  @Override
  public long transactionCount() {
    return gtids.stream().mapToLong(Gtid::sequence).sum();
  }

  /** The canonical spelling, without the prefix: domains in order, numbers without leading zeros. */
  @Override
  public String toString() {
    return gtids.stream().map(Gtid::toString).collect(Collectors.joining(","));
  }
}
