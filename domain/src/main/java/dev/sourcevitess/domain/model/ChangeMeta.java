package dev.sourcevitess.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The change-capture columns of one VSTREAM record.
 *
 * @param updatedAt the commit time (UTC)
 * @param deletedAt the commit time of a delete; null otherwise
 * @param cursor increases through a sync and from one sync to the next
 * @param metadata PlanetScale's metadata column; null unless {@code include_metadata} is set
 */
public record ChangeMeta(Instant updatedAt, Instant deletedAt, long cursor, PlanetScaleMetadata metadata) {
  public ChangeMeta {
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** {@code _planetscale_metadata}, as PlanetScale's connector writes it. */
  public record PlanetScaleMetadata(String vgtidPosition, Instant extractedAt, long sequenceNumber) {
    public PlanetScaleMetadata {
      Objects.requireNonNull(vgtidPosition, "vgtidPosition");
      Objects.requireNonNull(extractedAt, "extractedAt");
    }
  }
}
