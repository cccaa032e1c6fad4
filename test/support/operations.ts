/** GraphQL documents shared by the integration tests. */
export const ARTIFACT_FIELDS = 'id type name url version createdAt updatedAt';

export const INGEST = `mutation($input: IngestArtifactInput!) { ingestArtifact(input: $input) { artifact { ${ARTIFACT_FIELDS} } } }`;
export const UPDATE = `mutation($input: UpdateArtifactInput!) { updateArtifact(input: $input) { artifact { ${ARTIFACT_FIELDS} } } }`;
export const DELETE = `mutation($input: DeleteArtifactInput!) { deleteArtifact(input: $input) { deletedId } }`;
export const GET = `query($id: ID!) { artifact(id: $id) { ${ARTIFACT_FIELDS} } }`;
export const BY_URL = `query($url: String!) { artifactByUrl(url: $url) { ${ARTIFACT_FIELDS} } }`;
export const LIST = `query($filter: ArtifactFilter, $first: Int, $after: String) {
  artifacts(filter: $filter, first: $first, after: $after) {
    edges { cursor node { ${ARTIFACT_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;
export const HISTORY = `query($id: ID!, $first: Int, $after: String) {
  artifact(id: $id) { history(first: $first, after: $after) { edges { cursor node { version type actor at changes } } pageInfo { hasNextPage endCursor } } }
}`;

export interface ArtifactView {
  id: string;
  type: string;
  name: string;
  url: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ArtifactPage {
  artifacts: { edges: { cursor: string; node: ArtifactView }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const METRIC = '{ value latencySeconds explanation }';
/** Every field of a rating, as clients read it. */
export const RATING_FIELDS = `ratedAt netScore ${METRIC} rampUpTime ${METRIC} busFactor ${METRIC} performanceClaims ${METRIC} license ${METRIC}
  datasetAndCodeScore ${METRIC} datasetQuality ${METRIC} codeQuality ${METRIC} reproducibility ${METRIC} reviewedness ${METRIC} treeScore ${METRIC}
  sizeScore { raspberryPi jetsonNano desktopPc awsServer latencySeconds explanation }`;
export const RATED_ARTIFACT_FIELDS = `${ARTIFACT_FIELDS} ... on Model { rating { ${RATING_FIELDS} } }`;
export const INGEST_RATED = `mutation($input: IngestArtifactInput!) { ingestArtifact(input: $input) { artifact { ${RATED_ARTIFACT_FIELDS} } } }`;
export const GET_RATED = `query($id: ID!) { artifact(id: $id) { ${RATED_ARTIFACT_FIELDS} readme } }`;
export const RATE_MODEL = `mutation($id: ID!) { rateModel(id: $id) { artifact { ${RATED_ARTIFACT_FIELDS} } } }`;

export interface MetricView {
  /** null: not applicable (the explanation says why). */
  value: number | null;
  latencySeconds: number;
  explanation: string;
}

export interface RatingView {
  ratedAt: string;
  netScore: MetricView & { value: number };
  rampUpTime: MetricView;
  busFactor: MetricView;
  performanceClaims: MetricView;
  license: MetricView;
  datasetAndCodeScore: MetricView;
  datasetQuality: MetricView;
  codeQuality: MetricView;
  reproducibility: MetricView;
  reviewedness: MetricView;
  treeScore: MetricView;
  sizeScore: { raspberryPi: number | null; jetsonNano: number | null; desktopPc: number | null; awsServer: number | null; latencySeconds: number; explanation: string };
}

export type RatedArtifactView = ArtifactView & { rating?: RatingView | null; readme?: string | null };
