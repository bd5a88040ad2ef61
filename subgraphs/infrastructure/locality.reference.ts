/** Federation seam: the gateway sends `{ __typename: "Locality", code }`; infrastructure answers from its own registry copy. */
export { resolveLocalityReference } from '../../common/graph/locality.graph';
