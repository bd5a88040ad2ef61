/** Federation seam: the gateway sends `{ __typename: "Locality", code }`; identity answers from its own registry copy. */
export { resolveLocalityReference } from '../../common/graph/locality.graph';
