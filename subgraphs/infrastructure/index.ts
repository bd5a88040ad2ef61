import '../../common/platform/telemetry-register';
import 'reflect-metadata';
import { runSubgraph } from '../../common/graph/run-subgraph';
import { infrastructureSubgraph } from './infrastructure.subgraph';

void runSubgraph(infrastructureSubgraph);
