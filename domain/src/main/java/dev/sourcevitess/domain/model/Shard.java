package dev.sourcevitess.domain.model;

/** A Vitess shard by name: {@code -} for an unsharded keyspace, {@code -80}, {@code 80-} and so on. */
public record Shard(String name) implements Comparable<Shard> {
  /** The one shard of an unsharded keyspace, and of a plain MySQL database. */
  public static final Shard UNSHARDED = new Shard("-");

  public Shard {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a shard needs a name");
    }
  }

  @Override
  public int compareTo(Shard other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
