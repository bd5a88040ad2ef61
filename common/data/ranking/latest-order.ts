/**
 * Which of a (locality, indicator)'s observations is "the latest": most recent period (undated last), then the
 * most recently published source, then the newest row. Aliases: `o` observation, `s` source. The same order as
 * ObservationRepository.findByLocalities, so a ranked value is the one `observations(latest: true)` shows.
 */
export const LATEST_ORDER = `coalesce(o.period_end, o.period_start) DESC NULLS LAST, o.period_start DESC NULLS LAST,
  s.published_at DESC NULLS LAST, o.id DESC`;
