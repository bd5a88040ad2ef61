import { Arg, Ctx, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root, type ClassType } from 'type-graphql';
import type { Domain } from '../core/domain';
import type { RequestContext } from '../core/context';
import type { LocalityRecord } from '../core/locality/locality.record';
import { Locality } from '../core/locality/locality.type';
import type { Services } from '../data/services';
import { Observation } from '../core/observation/observation.type';

/** What a domain profile resolves from: the locality it describes. */
export interface ProfileRecord {
  localityCode: string;
}

/** A domain profile type (IdentityProfile, ...): the locality code here, the rest from resolvers. */
export function createProfileType(name: string, description: string): ClassType<ProfileRecord> {
  @ObjectType(name, { description })
  class DomainProfile implements ProfileRecord {
    @Field(() => ID, { description: 'The locality this profile describes.' })
    localityCode!: string;
  }
  return DomainProfile;
}

/**
 * Builds the two resolvers a domain subgraph needs: `Locality.<domain>` (the join the gateway
 * plans) and the shared profile fields. Subgraphs subclass the returned profile resolver to add headlines.
 */
export function createProfileResolvers(domain: Domain, profileType: ClassType<ProfileRecord>) {
  @Resolver(() => Locality)
  class LocalityProfileResolver {
    @FieldResolver(() => profileType, {
      name: domain,
      nullable: true,
      description: `Figures of the ${domain} domain for this locality (served by the ${domain} subgraph).`,
    })
    profile(@Root() locality: LocalityRecord): ProfileRecord {
      return { localityCode: locality.code };
    }
  }

  @Resolver(() => profileType)
  abstract class ProfileResolver {
    constructor(protected readonly services: Services) {}

    @FieldResolver(() => [Observation], {
      description:
        'Observations of this domain. `indicators` narrows to some codes; `latest: true` keeps only the most recent figure per indicator.',
    })
    observations(
      @Root() profile: ProfileRecord,
      @Ctx() ctx: RequestContext,
      @Arg('latest', () => Boolean, { nullable: true }) latest?: boolean | null,
      @Arg('indicators', () => [ID], { nullable: true }) indicators?: string[] | null,
    ) {
      return this.services.observations.observations(ctx, profile.localityCode, { indicators, latest });
    }

    @FieldResolver(() => Int, { description: 'How many observations of this domain the locality has.' })
    observationCount(@Root() profile: ProfileRecord, @Ctx() ctx: RequestContext) {
      return this.services.observations.count(ctx, profile.localityCode);
    }

    protected headline(profile: ProfileRecord, ctx: RequestContext, field: string) {
      return this.services.observations.headline(ctx, profile.localityCode, field);
    }
  }

  return { LocalityProfileResolver, ProfileResolver };
}
