import type { RequestContext } from '../../core/context';
import { deriveRatio, type DerivedMetricRecord, type InputFigure, type RatioMetric } from '../../core/metrics/ratio';
import { requireDomainScope } from '../../core/scopes';
import type { ObservationService } from './observation.service';

/** Derived metrics of one domain: own-domain inputs come from its observations (batched), others from what @requires sent. */
export class DerivedMetricService {
  constructor(private readonly observations: ObservationService) {}

  /**
   * `supplied` holds the inputs of other domains by indicator code, as the gateway sent them (null: the locality has none).
   * The caller needs the scope of every input's domain: a ratio reveals its inputs.
   */
  async ratio(
    ctx: RequestContext,
    localityCode: string,
    metric: RatioMetric,
    supplied: Readonly<Record<string, InputFigure | null | undefined>> = {},
  ): Promise<DerivedMetricRecord> {
    const [numerator, denominator] = await Promise.all([metric.numerator, metric.denominator].map((code) => this.indicator(code)));
    for (const indicator of [numerator, denominator]) requireDomainScope(ctx, indicator.domain, `${metric.code} (input ${indicator.code})`);
    const figure = async (code: string): Promise<InputFigure | null> => {
      if (code in supplied) return supplied[code] ?? null;
      const [latest] = await this.observations.observations(ctx, localityCode, { indicators: [code], latest: true });
      return latest ?? null;
    };
    return deriveRatio(metric, { numerator, denominator }, await figure(metric.numerator), await figure(metric.denominator));
  }

  private async indicator(code: string) {
    const indicator = await this.observations.indicator(code);
    // A metric naming an indicator the catalogue lacks is a bug in its declaration (masked as INTERNAL_SERVER_ERROR), not the caller's fault.
    if (!indicator) throw new Error(`derived metric input "${code}" is not in the indicator catalogue`);
    return indicator;
  }
}
