"""Daily SASRec pipeline: Preprocess -> TrainSASRec -> Recommend on the day's interaction log.

Deploy: copy this file into the DAGs folder; needs apache-airflow-providers-apache-spark.
Airflow Variables (templated at run time, so the scheduler reads none of them while parsing):
  sasrec_jar               the application jar, e.g. hdfs:///apps/sasrec/sasrec-spark.jar
  sasrec_spark_properties  a Spark properties file on the worker, made with
                           submit/spark-properties yarn > /opt/sasrec/spark-yarn.properties
  sasrec_log4j2_properties the logging configuration shipped with --files, a copy of
                           conf/log4j2-cluster.properties (on the worker or in HDFS); on YARN it
                           lands in every container, where LOG4J_CONFIGURATION_FILE of the
                           properties file names it. Empty on Kubernetes: the pods read the copy
                           in the image's jar.
  sasrec_log_root          raw logs, one directory per day: <root>/YYYY-MM-DD/
  sasrec_data_root         outputs: <root>/prep/<ds>, <root>/runs/<ds>, <root>/recommendations/<ds>
Connection spark_default (SPARK_CONN_ID below): the master in host (yarn,
spark://host:7077, k8s://https://host:443) and deploy-mode, queue, namespace or spark-binary in
its extra, as SparkSubmitHook reads them.
Logging: this project at INFO, Spark, Hadoop and the rest at WARN (conf/log4j2-cluster.properties),
on the cluster's JVMs; Spark's INFO lines come back with spark.yarn.appMasterEnv and
spark.executorEnv.SASREC_SPARK_LOG_LEVEL=info in the properties file. In client mode the driver
runs on the worker: LOG4J_CONFIGURATION_FILE=<local copy of the file> in the worker's environment
makes it log the same way.
Every run writes under its own {{ ds }}, so a backfill or a retry never touches another day;
a retry replaces a partial output (--overwrite true) or resumes training from its checkpoint.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

SPARK_CONN_ID = "spark_default"
JAR = "{{ var.value.sasrec_jar }}"
SPARK_PROPERTIES = "{{ var.value.sasrec_spark_properties }}"
LOG4J2_PROPERTIES = "{{ var.value.sasrec_log4j2_properties }}"
LOG_DAY = "{{ var.value.sasrec_log_root }}/{{ ds }}"
PREP = "{{ var.value.sasrec_data_root }}/prep/{{ ds }}"
RUN = "{{ var.value.sasrec_data_root }}/runs/{{ ds }}"
RECOMMENDATIONS = "{{ var.value.sasrec_data_root }}/recommendations/{{ ds }}"

# A failed job is usually a lost executor or a busy cluster: try twice more, ten minutes apart.
RETRIES = 2
RETRY_DELAY = timedelta(minutes=10)
# TrainSASRec runs many epochs, the other jobs a few Spark SQL passes; a hung job must not block
# the next day for long.
TRAIN_TIMEOUT = timedelta(hours=6)
JOB_TIMEOUT = timedelta(hours=2)

default_args = {
    "owner": "sasrec",
    "retries": RETRIES,
    "retry_delay": RETRY_DELAY,
    "execution_timeout": JOB_TIMEOUT,
}

with DAG(
    dag_id="sasrec_pipeline",
    description="Preprocess, train SASRec and write top-K recommendations for each day's log",
    schedule="@daily",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    # Each day trains from its own preprocess output; one day at a time keeps the cluster share flat.
    max_active_runs=1,
    default_args=default_args,
    tags=["sasrec", "spark"],
) as dag:
    preprocess = SparkSubmitOperator(
        task_id="preprocess",
        conn_id=SPARK_CONN_ID,
        application=JAR,
        java_class="Preprocess",
        properties_file=SPARK_PROPERTIES,
        files=LOG4J2_PROPERTIES,
        name="sasrec-preprocess-{{ ds }}",
        application_args=["--input", LOG_DAY, "--output", PREP, "--overwrite", "true"],
    )

    train = SparkSubmitOperator(
        task_id="train",
        conn_id=SPARK_CONN_ID,
        application=JAR,
        java_class="TrainSASRec",
        properties_file=SPARK_PROPERTIES,
        files=LOG4J2_PROPERTIES,
        name="sasrec-train-{{ ds }}",
        # A retry continues from the newest complete checkpoint instead of epoch 1.
        application_args=["--input", PREP, "--output", RUN, "--resume", "true"],
        execution_timeout=TRAIN_TIMEOUT,
    )

    recommend = SparkSubmitOperator(
        task_id="recommend",
        conn_id=SPARK_CONN_ID,
        application=JAR,
        java_class="Recommend",
        properties_file=SPARK_PROPERTIES,
        files=LOG4J2_PROPERTIES,
        name="sasrec-recommend-{{ ds }}",
        application_args=[
            "--model",
            RUN + "/model",
            "--input",
            PREP,
            "--output",
            RECOMMENDATIONS,
            "--overwrite",
            "true",
        ],
    )

    preprocess >> train >> recommend
