import '../../common/platform/telemetry-register';
import 'reflect-metadata';
import { runSubgraph } from '../../common/graph/run-subgraph';
import { financeSubgraph } from './finance.subgraph';

void runSubgraph(financeSubgraph);
