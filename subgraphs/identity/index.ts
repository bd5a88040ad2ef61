import '../../common/platform/telemetry-register';
import 'reflect-metadata';
import { runSubgraph } from '../../common/graph/run-subgraph';
import { identitySubgraph } from './identity.subgraph';

void runSubgraph(identitySubgraph);
