"""Features Nimbus never configures read back through boto3 as DynamoDB answers for a table
without them, so tools that read a table's whole state work; unknown tables are still
ResourceNotFoundException, and writing the features stays UnknownOperationException."""
import pytest
from botocore.exceptions import ClientError

TABLE = "e2e-test-table"
ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/" + TABLE


def answer(reply):
    reply.pop("ResponseMetadata")
    return reply


def test_table_features_read_as_never_configured(dynamodb):
    assert answer(dynamodb.describe_kinesis_streaming_destination(TableName=TABLE)) == {
        "TableName": TABLE, "KinesisDataStreamDestinations": []}
    assert answer(dynamodb.describe_contributor_insights(TableName=TABLE)) == {
        "TableName": TABLE, "ContributorInsightsStatus": "DISABLED"}
    assert answer(dynamodb.describe_table_replica_auto_scaling(TableName=TABLE)) == {
        "TableAutoScalingDescription": {"TableName": TABLE, "TableStatus": "ACTIVE", "Replicas": []}}
    assert answer(dynamodb.list_contributor_insights(TableName=TABLE)) == {"ContributorInsightsSummaries": []}


def test_account_listings_are_empty(dynamodb):
    assert answer(dynamodb.list_backups()) == {"BackupSummaries": []}
    assert answer(dynamodb.list_global_tables()) == {"GlobalTables": []}
    assert answer(dynamodb.list_exports()) == {"ExportSummaries": []}
    assert answer(dynamodb.list_imports()) == {"ImportSummaryList": []}


def test_a_table_has_no_resource_policy(dynamodb):
    with pytest.raises(ClientError) as error:
        dynamodb.get_resource_policy(ResourceArn=ARN)
    assert error.value.response["Error"]["Code"] == "PolicyNotFoundException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert ARN in error.value.response["Error"]["Message"]


@pytest.mark.parametrize("call", [
    lambda c: c.describe_kinesis_streaming_destination(TableName="no-such-table"),
    lambda c: c.describe_contributor_insights(TableName="no-such-table"),
    lambda c: c.describe_contributor_insights(TableName=TABLE, IndexName="no-such-index"),
    lambda c: c.describe_table_replica_auto_scaling(TableName="no-such-table"),
    lambda c: c.list_contributor_insights(TableName="no-such-table"),
    lambda c: c.get_resource_policy(ResourceArn=ARN.replace(TABLE, "no-such-table")),
])
def test_unknown_tables_and_indexes_are_resource_not_found(dynamodb, call):
    with pytest.raises(ClientError) as error:
        call(dynamodb)
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"


@pytest.mark.parametrize("call", [
    lambda c: c.update_contributor_insights(TableName=TABLE, ContributorInsightsAction="ENABLE"),
    lambda c: c.put_resource_policy(ResourceArn=ARN, Policy="{}"),
    lambda c: c.create_backup(TableName=TABLE, BackupName="backup"),
])
def test_writing_them_is_an_unknown_operation(dynamodb, call):
    with pytest.raises(ClientError) as error:
        call(dynamodb)
    assert error.value.response["Error"]["Code"] == "UnknownOperationException"
