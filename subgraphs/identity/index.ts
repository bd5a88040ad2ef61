import 'reflect-metadata';
import { runSubgraph } from '../../common/server/run-subgraph';
import { identitySubgraph } from './identity.subgraph';

void runSubgraph(identitySubgraph);
