package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The shards the config asks for, checked against those VTGate lists: the same refusal in
 * {@code check} and {@code read}, so a check never passes a config that a read turns down.
 */
final class ShardSelection {
  private final SourceConfig config;
  private final Set<Shard> all;

  ShardSelection(SourceConfig config, Set<Shard> all) {
    this.config = config;
    this.all = new TreeSet<>(all);
  }

  /** The shards to read: all, or those the filter names, each of which must exist. */
  Set<Shard> live() {
    if (config.shards().isEmpty()) {
      return all;
    }
    requireKnown(config.shards(), "The shards filter names ");
    return new TreeSet<>(config.shards());
  }

  /** starting_gtids of this keyspace, whose shards must exist. */
  Map<Shard, String> startingGtids() {
    Map<Shard, String> positions = config.startingGtids().getOrDefault(config.keyspace(), Map.of());
    requireKnown(positions.keySet(), "starting_gtids names shards ");
    return positions;
  }

  private void requireKnown(Iterable<Shard> named, String subject) {
    List<String> unknown = new ArrayList<>();
    named.forEach(s -> {
      if (!all.contains(s)) {
        unknown.add(s.name());
      }
    });
    if (!unknown.isEmpty()) {
      throw SourceException.config(subject + String.join(", ", unknown) + ", not shards of " + config.keyspace()
          + "; its shards are " + all.stream().map(Shard::name).collect(Collectors.joining(", ")) + ".");
    }
  }
}
