package dev.sourcevitess.domain.model;

import java.util.Optional;

/**
 * A shard's replication position as VTGate spells it: the transactions a server has executed,
 * in the flavor of the database under the tablets. Positions are compared by what they contain,
 * never as strings, and only within one flavor: a MySQL56 position means nothing to a MariaDB
 * server and the other way round.
 */
public sealed interface GtidPosition permits GtidSet, MariaDbGtidSet {

  /** The flavors VTGate names in front of a position, as in {@code MySQL56/...}. */
  enum Flavor {
    MYSQL56("MySQL56"),
    MARIADB("MariaDB");

    private final String name;

    Flavor(String name) {
      this.name = name;
    }

    /** The prefix of a position of this flavor, {@code MySQL56/} or {@code MariaDB/}. */
    public String prefix() {
      return name + "/";
    }

    /**
     * The flavor a position names by its prefix, without parsing the rest; empty for a bare set
     * or another flavor (Vitess also knows {@code FilePos/}).
     */
    public static Optional<Flavor> of(String position) {
      for (Flavor flavor : values()) {
        if (position.startsWith(flavor.prefix())) {
          return Optional.of(flavor);
        }
      }
      return Optional.empty();
    }

    @Override
    public String toString() {
      return name;
    }

    static IllegalArgumentException mismatch(GtidPosition a, GtidPosition b) {
      return new IllegalArgumentException("cannot compare the " + a.flavor() + " position '" + a.toPosition()
          + "' with the " + b.flavor() + " position '" + b.toPosition()
          + "': they come from different kinds of database server");
    }
  }

  /**
   * Parses a position of either flavor. Its prefix names the flavor; a bare set (as
   * {@code @@gtid_executed} or {@code @@gtid_binlog_pos} print it) is MySQL56 when it has a
   * {@code uuid:interval} and MariaDB when it is made of {@code domain-server-sequence} parts.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static GtidPosition parse(String position) {
    String text = position.strip();
    Optional<Flavor> flavor = Flavor.of(text);
    if (flavor.isPresent()) {
      return flavor.get() == Flavor.MARIADB ? MariaDbGtidSet.parse(position) : GtidSet.parse(position);
    }
    if (text.contains("/")) {
      throw new IllegalArgumentException("position '" + position + "' has the flavor '"
          + text.substring(0, text.indexOf('/')) + "'; expected MySQL56/<uuid>:<from>-<to>,... or"
          + " MariaDB/<domain>-<server>-<sequence>,...");
    }
    if (text.contains(":")) {
      return GtidSet.parse(position);
    }
    if (MariaDbGtidSet.looksBare(text)) {
      return MariaDbGtidSet.parse(position);
    }
    throw new IllegalArgumentException("position '" + position + "' is neither a MySQL56 GTID set"
        + " (<uuid>:<from>-<to>,...) nor a MariaDB one (<domain>-<server>-<sequence>,...)");
  }

  Flavor flavor();

  /** True when the position holds no transaction. */
  boolean isEmpty();

  /**
   * True when every transaction of {@code other} is in this position.
   *
   * @throws IllegalArgumentException when {@code other} is of another flavor
   */
  boolean contains(GtidPosition other);

  /** The position with its flavor's prefix, in its canonical spelling, as VTGate takes it. */
  String toPosition();

  /**
   * How many transactions the position holds: MySQL56 counts each GTID; MariaDB adds up each
   * domain's sequence number, which counts its transactions unless a server skipped numbers.
   */
  long transactionCount();

  /**
   * How many transactions of this position {@code earlier} lacks, for saying how far a read is
   * from its stop; empty when this position does not contain {@code earlier} (nobody can tell).
   *
   * @throws IllegalArgumentException when {@code earlier} is of another flavor
   */
  default Optional<Long> transactionsAfter(GtidPosition earlier) {
    return contains(earlier) ? Optional.of(transactionCount() - earlier.transactionCount()) : Optional.empty();
  }
}
